"""Batch scoring: the study's tables for any number of articles, without notebooks.

`framing score --articles PATH_OR_GLOB ... --out DIR [--jobs N]` writes to `DIR/tables/`:
`articles.csv`, `sentences.csv` (frames, frame evidence, speaker, VADER compound), `quotes.csv`,
`tfidf_terms.csv`, `keyness.csv` and `similarity.csv`, the same tables (same code, `analysis.pipeline`) the
notebooks write, and for up to `explorer.MAX_ARTICLES` articles the explorer page `DIR/explorer.html`
(`analysis.explorer`). How it scales:

- Streaming: articles are read, scored and written a few at a time, in the order given; only each article's row
  of `articles.csv` and its term counts (as arrays, `vocabulary.EncodedTerms`) are kept until the end, where the
  corpus-wide tables are computed from the term counts.
- Parallel: files are scored in `--jobs` worker processes (default 2), in chunks of `CHUNK` files; results are
  taken in input order, so the tables are identical to a serial run (`--jobs 1`). Where processes are forked
  (Linux) and some file is not in the cache, the command loads the spaCy pipeline and the frame coder first
  (`preload`), and the workers share them.
- Incremental: each file's result is cached in `DIR/cache/<version>/` under the SHA-256 of its path, bytes and
  metadata, where the version is a hash of the whole `analysis` package (code and data) and the installed
  libraries' versions (`analysis_version`). A rerun re-scores only new or changed files; the corpus-wide tables
  are recomputed from the cached term counts. Entries are never removed by a run of the same version: a rerun
  without some file keeps its entry, and one that names it again (or its earlier content) takes it from there.
- Large corpora: with more than `LARGE_CORPUS` articles, the tables whose size grows with the square of the corpus
  are written in a compact form: `similarity.csv` holds each article's `TOP_SIMILAR` most similar articles
  (columns article_a, rank, article_b, cosine) instead of every pair, and `keyness.csv` each article's
  `TOP_KEYWORDS` strongest key terms of each length (direction 'target', largest G² first) instead of every term
  tested; their statistics (p_adjusted included) are the full table's. Up to `LARGE_CORPUS` articles both are
  complete, as the notebooks write them. With one article there is nothing to compare: keyness.csv is empty.

The output folder must be new, empty, or an earlier `score` run's (it holds the `.study-run` manifest,
`analysis.outputs`): a folder a user filled is never written to, nor the repository itself, nor a `run` study's
folder, and a user's files in an earlier run's folder are never replaced or deleted. Tables are written to a
staging folder inside it and renamed into `DIR/tables/` only when complete (`outputs.output_folder`: locked
against a second run), so a failed run leaves an earlier run's tables intact, and a folder the failed run
created is removed. A rerun into the same folder updates that study: its tables are those of the articles named
this time, whatever an earlier run named (the cache keeps the results of both).
"""
from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import json
import multiprocessing
import pickle
import os
import re
import shutil
import signal
import sys
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache, partial
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd
from tqdm import tqdm

from analysis import config
from analysis.actors import Actor, load_actors
from analysis.coders import CODERS, Coder, frame_coding, precoded
from analysis.corpus import (NEAR_DUPLICATE_LIMIT, Article, FirstCopies, UniqueIds, article_labels, article_row,
                             expand_paths, language_warnings, load_article, metadata_table, near_duplicate_warnings,
                             sentence_rows)
from analysis.errors import InputError, writing
from analysis.explorer import EXPLORER, MAX_ARTICLES, write_explorer
from analysis.frames import Frame, load_frames
from analysis.outputs import output_folder, replace_outputs
from analysis.parse import parse, pipeline, prefetched, recognize
from analysis.pipeline import SENTENCE_TABLE_COLUMNS, article_columns, score_article
from analysis.similarity import best_per_article, cosine_table, mutual_candidates, ranked_table
from analysis.tables import CsvStream, csv_fields, csv_lines, renamed_lines, round_significant, write_csv
from analysis.vocabulary import (TFIDF_COLUMNS, EncodedTerms, TermCounts, TfidfModel, dense_vectors, encode_terms,
                                 encoded_model, keyness_from_counts, keyness_top, tfidf_arrays)
from analysis.voices import QUOTE_COLUMNS, entity_parses, planned

OUTPUTS = ("tables", EXPLORER)  # what score writes into --out (besides its cache/)
LARGE_CORPUS = 50     # articles; above this, keyness.csv and similarity.csv are written in their compact form
TOP_SIMILAR = 5       # most similar articles per article in the compact similarity.csv
TOP_KEYWORDS = 10     # key terms per article and term length in the compact keyness.csv
CHUNK = 32            # files per task sent to a worker process (parsed and frame-coded in one batch)
FLUSH = 200           # articles whose sentence and quote rows are written at a time
TFIDF_BLOCK = 500     # articles per block of tfidf_terms.csv rows
VERSION_NAME = re.compile(r"[0-9a-f]{16}")      # a cache folder: `analysis_version()`
PACKAGE = Path(__file__).resolve().parent  # the installed `analysis` package, hashed whole for the cache
PR_SET_PDEATHSIG = 1  # Linux prctl option: the signal a process gets when its parent dies


@dataclass
class ScoredFile:
    """One file scored (what the cache holds): its articles-table metadata row and label as given ('' if none),
    its statistics and term counts (`pipeline.ArticleScores`), its number of sentences, its rows of sentences.csv
    and quotes.csv as CSV lines (`csv_lines`), load and language warnings, and its kept paragraphs (for
    near-duplicate checks). Ids are the file's own; the corpus makes repeated ids unique (`corpus.UniqueIds`)."""

    path: Path
    article: dict
    label: str
    statistics: dict
    terms: TermCounts
    sentences: int
    lines: dict[str, str]
    warnings: list[str]
    language: list[str]
    paragraphs: list[tuple[int, str, str]]
    cached: bool = False


@dataclass
class ScoreSummary:
    """What a `score_corpus` run did: output folder, files read, articles kept (exact duplicates dropped),
    sentences, files scored anew and taken from the cache, warnings, notes on the tables written, and the wall
    seconds spent scoring files (or loading them from the cache) and writing the corpus-wide tables."""

    out: Path | None = None
    files: int = 0
    articles: int = 0
    sentences: int = 0
    scored: int = 0
    cached: int = 0
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    scoring_seconds: float = 0.0
    corpus_seconds: float = 0.0


# --- one file -------------------------------------------------------------------------------------------------

@cache
def dictionaries() -> tuple[list[Frame], list[Actor]]:
    """The frame and actor dictionaries, loaded once per process."""
    return load_frames(), load_actors()


def score_file(path: Path, meta: dict | None, coder: str = "study") -> ScoredFile:
    """`ScoredFile` of the article at `path` with metadata-table fields `meta`, frames coded by the `coder` named
    ('study' or 'dictionary', `coders.frame_coding`); InputError for bad input."""
    return score_loaded(load_article(path, meta), coder=frame_coding(dictionaries()[0], coder))


def preload(coder: str = "study") -> None:
    """Load what scoring a file needs (the dictionaries, the frame coder named, the spaCy pipeline) in this
    process, so that worker processes forked from it share it rather than each loading its own (about 2 s each);
    then leave everything loaded out of the garbage collector's passes (`gc.freeze`), which in the workers would
    traverse, and write to, those long-lived shared objects again and again."""
    frame_coding(dictionaries()[0], coder)
    pipeline()
    gc.freeze()


def score_loaded(article: Article, rows: list[dict] | None = None, coder: Coder | None = None) -> ScoredFile:
    """`ScoredFile` of a loaded article (see `score_file`); `rows`: its `corpus.sentence_rows`, if already made;
    `coder`: the frame coder (default: the study's coding)."""
    path, rows = article.path, sentence_rows(article) if rows is None else rows
    frames, actors = dictionaries()
    scores = score_article(rows, frames=frames, actors=actors, coder=coder)
    lines = {"sentences": csv_lines(scores.sentences, SENTENCE_TABLE_COLUMNS),
             "quotes": csv_lines(scores.quotes, QUOTE_COLUMNS)}
    return ScoredFile(path, article_row(article, rows), article.meta.get("label") or "", scores.statistics,
                      scores.terms, len(scores.sentences), lines, article.warnings,
                      language_warnings([article], {article.article_id: rows}), article.paragraphs)


@cache
def analysis_version() -> str:
    """Hash (16 hex digits) of the whole `analysis` package (`package_digest`), the version of every installed
    distribution (the pinned requirements and whatever else is installed) and Python's: cached results are used
    only by the same version, so no change to the code, its data or a library can serve a stale result."""
    digest = hashlib.sha256(f"python {sys.version_info[:2]}\0{package_digest(PACKAGE)}\0".encode())
    installed = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(installed).encode())
    return digest.hexdigest()[:16]


def package_digest(package: Path) -> str:
    """SHA-256 of every file under the folder `package` (code and data, compiled-bytecode caches excepted), each
    with its path relative to `package`, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(f"{path.relative_to(package).as_posix()}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(path: Path, meta: dict | None, coder: str = "study") -> str:
    """SHA-256 of a file's path, bytes, metadata-table fields and the frame coder's name: its name in the cache."""
    digest = hashlib.sha256(f"{path}\0{json.dumps(meta or {}, sort_keys=True)}\0{coder}\0".encode())
    digest.update(path.read_bytes())
    return digest.hexdigest()


def cached_score(path: Path, meta: dict | None, folder: Path, coder: str = "study") -> tuple[bytes, bool]:
    """`score_file` of a file as pickled bytes (for the caller to load with `from_cache`) and whether they came
    from the cache: its entry in `folder` if there is one, else computed and stored there (`stored`)."""
    target = cache_entry(path, meta, folder, coder)
    if target.exists():
        return target.read_bytes(), True
    return stored(score_file(path, meta, coder), target), False


def cache_entry(path: Path, meta: dict | None, folder: Path, coder: str = "study") -> Path:
    """The path of a file's entry in the cache folder `folder` (`cache_key`); InputError if it cannot be read."""
    try:
        return folder / f"{cache_key(path, meta, coder)}.pkl"
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None


def stored(scored: ScoredFile, target: Path) -> bytes:
    """`scored` pickled, written to the cache entry `target` (in place: an entry cut short by an interrupted run
    fails to load, and `from_cache` scores the file again)."""
    data = pickle.dumps(scored, protocol=pickle.HIGHEST_PROTOCOL)
    with writing(target):
        target.write_bytes(data)
    return data


def score_chunk(tasks: list[tuple[Path, dict | None]], folder: Path,
                coder: str = "study") -> list[tuple[bytes, bool]]:
    """`cached_score` of each (path, metadata) task, in order (the unit of work of a worker process), frames coded
    by the `coder` named. The chunk's articles not in the cache are scored together (`scored_together`). Bad input
    (InputError) is raised once the files before it are scored, as if they were scored one by one."""
    items, error = [], None
    for path, meta in tasks:
        try:
            target = cache_entry(path, meta, folder, coder)
            article = None if target.exists() else load_article(path, meta)
        except InputError as found:
            error = found
            break
        items.append((target, article, sentence_rows(article) if article else []))
    fresh = iter(scored_together([(article, rows) for _, article, rows in items if article], coder))
    results = [(target.read_bytes(), True) if article is None else (stored(next(fresh), target), False)
               for target, article, rows in items]
    if error is not None:
        raise error
    return results


def scored_together(loaded: list[tuple[Article, list[dict]]], coder: str = "study") -> list[ScoredFile]:
    """`score_loaded` of each (article, its `corpus.sentence_rows`) of `loaded`, in order, frames coded by the
    `coder` named, the articles scored together: the sentences they need parsed (`voices.parse_requests`) are
    parsed in one batch (`parse.prefetched`), the named entities of the parses whose entities attribution reads
    recognized in one more (`voices.entity_parses`, `parse.recognize`), and their sentences frame-coded in one
    call (`coders.precoded`), as spaCy and the coder are much faster on many sentences at once; the attribution
    of each starts from the plan its parse requests came from (`voices.planned`)."""
    coding = precoded(frame_coding(dictionaries()[0], coder), [row["tokens"] for _, rows in loaded for row in rows])
    with planned([rows for _, rows in loaded]) as requests, prefetched(text for text, _ in requests):
        recognize(entity_parses(parse([text for text, _ in requests]), [clauses for _, clauses in requests]))
        return [score_loaded(article, rows, coding) for article, rows in loaded]


def from_cache(found: tuple[bytes, bool], task: tuple[Path, dict | None], folder: Path,
               coder: str = "study") -> ScoredFile:
    """The `ScoredFile` of a `cached_score` result for `task` (`cached` set if it came from the cache), scored
    again if its cache entry is damaged."""
    data, cached = found
    try:
        scored = pickle.loads(data)
        if not isinstance(scored, ScoredFile):
            raise TypeError(f"a cache entry holds {type(scored).__name__}")
    except Exception:  # a damaged entry, or one of another type: score the file again
        (folder / f"{cache_key(*task, coder)}.pkl").unlink(missing_ok=True)
        return from_cache(cached_score(*task, folder, coder), task, folder, coder)
    scored.cached = cached
    return scored


def ordered_results(work: Callable, chunks: Iterable, jobs: int) -> Iterator:
    """`work(chunk)` for each chunk, in order: in this process for `jobs` = 1, else in `jobs` worker processes
    with at most 4 chunks per worker in flight (so results waiting to be taken stay few)."""
    if jobs == 1:
        yield from map(work, chunks)
        return
    pool = worker_pool(jobs)
    pending: deque = deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(work, chunk))
            if len(pending) >= 4 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BaseException:  # bad input or Ctrl-C: stop the workers now rather than after their chunks
        stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def worker_pool(jobs: int, state: dict | None = None) -> ProcessPoolExecutor:
    """A pool of `jobs` worker processes set up by `start_worker` (with `state` installed, if given)."""
    return ProcessPoolExecutor(jobs, initializer=start_worker, initargs=(os.getpid(), state))


def start_worker(parent: int, state: dict | None) -> None:
    """Set up a worker process of process `parent`: it ignores Ctrl-C (the parent stops it), is killed when the
    parent dies, however it dies (Linux `prctl(PR_SET_PDEATHSIG)`), and installs `state` (see `install`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):  # not Linux: workers end when the pool's pipes close
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)
    if state is not None:
        install(state)


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate the worker processes of `pool` (they may be in the middle of a chunk)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(OSError, ValueError):
            process.terminate()


def chunked(items: list, size: int) -> Iterator[list]:
    """Consecutive pieces of `items` of `size` items (the last may be shorter)."""
    return (items[i:i + size] for i in range(0, len(items), size))


# --- the corpus -------------------------------------------------------------------------------------------------

@dataclass
class Collector:
    """Takes scored files in reading order: drops exact duplicates, makes ids unique, streams sentence and quote
    rows to CSV, and keeps what the corpus-wide tables need (article rows, encoded term counts)."""

    sentences: CsvStream
    quotes: CsvStream
    keep_paragraphs: bool
    assign: UniqueIds = field(default_factory=UniqueIds)
    copies: FirstCopies = field(default_factory=FirstCopies)
    articles: list[dict] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # each kept article's file, for its label
    encoded: list[EncodedTerms] = field(default_factory=list)
    vocabulary: dict[str, int] = field(default_factory=dict)
    kept: list[Article] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=lambda: {"load": [], "duplicate": [], "language": []})
    sentence_count: int = 0

    def add(self, scored: ScoredFile) -> None:
        """Take one scored file (see the class docstring)."""
        self.notes["load"] += scored.warnings
        if duplicate := self.copies.duplicate(scored.article["content_hash"], scored.path):
            self.notes["duplicate"].append(duplicate)
            return
        article_id = self.assign(scored.article["article_id"], scored.path)
        self.articles.append({**scored.article, **scored.statistics, "article_id": article_id,
                              "label": scored.label})
        self.paths.append(str(scored.path))
        for table, stream in (("sentences", self.sentences), ("quotes", self.quotes)):
            lines = scored.lines[table]
            stream.add(lines if article_id == scored.article["article_id"] else renamed_lines(lines, article_id))
        self.sentence_count += scored.sentences
        self.encoded.append(encode_terms(scored.terms, self.vocabulary))
        self.notes["language"] += scored.language
        if self.keep_paragraphs:
            self.kept.append(Article(article_id, scored.path, {}, "", scored.paragraphs))
        if len(self.articles) % FLUSH == 0:
            self.flush()

    def flush(self) -> None:
        """Write the queued sentence and quote rows."""
        self.sentences.write()
        self.quotes.write()

    def close(self) -> None:
        """Write the queued rows and close the sentence and quote tables."""
        self.sentences.close()
        self.quotes.close()

    def warnings(self) -> list[str]:
        """Load, duplicate, language and near-duplicate warnings, in the order `corpus.load_corpus` gives them."""
        near = near_duplicate_warnings(self.kept) if self.keep_paragraphs else []
        return self.notes["load"] + self.notes["duplicate"] + self.assign.renamed + self.notes["language"] + near


# --- corpus-wide tables -----------------------------------------------------------------------------------------

class TfidfLines:
    """Lines of `tfidf_terms.csv` from a `vocabulary.TfidfModel`, formatted as pandas writes them, with the fields
    that depend only on the article or the term (id, term, length, idf) formatted once; floats rounded as
    `tables.stable_floats` rounds them."""

    def __init__(self, model: TfidfModel):
        self.model, self.ids = model, csv_fields(model.article_ids)
        terms = csv_fields(model.terms)
        self.terms = [f"{field},{n}" for field, n in zip(terms, model.lengths.tolist())]
        self.idf = {unit: [repr(x) for x in round_significant(model.idf[unit]).tolist()]
                    for unit in ("article", "sentence")}

    def __call__(self, rows: slice) -> str:
        """The lines (no header) of the articles `rows` of the model."""
        found = tfidf_arrays(self.model, rows)
        found.update({k: round_significant(found[k]) for k in ("tfidf", "tfidf_sentence")})
        ids, terms, idf, idf_sentence = self.ids, self.terms, self.idf["article"], self.idf["sentence"]
        return "".join(f"{ids[a]},{terms[j]},{n},{idf[j]},{w!r},{idf_sentence[j]},{ws!r}\n" for a, j, n, w, ws in
                       zip(*(found[k].tolist() for k in ("article", "column", "count", "tfidf", "tfidf_sentence"))))


_STATE: dict = {}  # what the corpus-wide work of a worker process reads (`install`)


def install(state: dict) -> None:
    """Make `state` (`TfidfLines`, TF-IDF weights and their transpose) what this process's corpus-wide tasks
    use."""
    _STATE.clear()
    _STATE.update(state)


def tfidf_block(start: int, stop: int, path: str) -> None:
    """Write the `tfidf_terms.csv` lines of articles start to stop (an installed `TfidfLines`) to `path`."""
    with writing(Path(path)):
        Path(path).write_text(_STATE["tfidf"](slice(start, stop)), encoding="utf-8", newline="")


def similar_block(start: int, stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(article, other article, cosine) candidates for the `TOP_SIMILAR` most similar articles of articles start to
    stop among the articles from start on, and of the articles after stop among those from start to stop
    (`similarity.mutual_candidates`): one sparse product (installed TF-IDF weights and their transpose) computes
    each pair of articles once over all the blocks."""
    cosines = (_STATE["weights"][start:stop] @ _STATE["transposed"][:, start:]).toarray()
    (rows, columns), (others, among) = mutual_candidates(cosines, TOP_SIMILAR, stop - start)
    return (np.concatenate([rows, others]) + start, np.concatenate([columns, among]) + start,
            np.concatenate([cosines[rows, columns], cosines[among, others]]))


def submit(pool: ProcessPoolExecutor | None, function: Callable, *args) -> Future:
    """`function(*args)` run in `pool`, or here and now without one."""
    if pool is not None:
        return pool.submit(function, *args)
    future: Future = Future()
    future.set_result(function(*args))
    return future


def write_corpus_tables(collector: Collector, folder: Path, jobs: int) -> list[str]:
    """Write articles.csv, tfidf_terms.csv, keyness.csv and similarity.csv to `folder` from what `collector`
    kept (TF-IDF lines and similarities in `jobs` processes, keyness in this one meanwhile); return notes on the
    tables (compact forms, tables not written)."""
    ids = [row["article_id"] for row in collector.articles]
    model = encoded_model(ids, collector.vocabulary, collector.encoded)
    large = len(ids) > LARGE_CORPUS
    state = {"tfidf": TfidfLines(model)}
    if large:
        weights = model.weights()
        state.update(weights=weights, transposed=weights.T.tocsr())
    install(state)
    blocks = [(start, min(start + TFIDF_BLOCK, len(ids))) for start in range(0, len(ids), TFIDF_BLOCK)]
    parts = [folder / f".tfidf_terms.{number:05d}.part" for number in range(len(blocks))]
    pool = worker_pool(jobs, state) if jobs > 1 else None
    try:
        similar = [submit(pool, similar_block, *block) for block in blocks] if large else []
        written = [submit(pool, tfidf_block, *block, str(part)) for block, part in zip(blocks, parts)]
        write_articles(collector, folder / "articles.csv")
        notes = write_comparisons(model, folder, [future.result for future in similar])
        for future in written:
            future.result()
    except BaseException:
        if pool is not None:
            stop_workers(pool)
        raise
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    concatenate(folder / "tfidf_terms.csv", ",".join(TFIDF_COLUMNS) + "\n", parts)
    return notes


def write_articles(collector: Collector, path: Path) -> None:
    """Write articles.csv (`pipeline.article_columns`) from the rows `collector` kept, each labelled by the one
    rule (`corpus.article_labels`)."""
    articles = pd.DataFrame(collector.articles)
    articles["label"] = article_labels([(r["article_id"], {"label": r["label"], "title": r["title"], "path": file})
                                        for r, file in zip(collector.articles, collector.paths)])
    write_csv(article_columns(articles), path)


def concatenate(path: Path, header: str, parts: list[Path]) -> None:
    """Write `header` and then the files `parts`, in order, to `path`; delete the parts."""
    with writing(path), open(path, "wb") as stream:
        stream.write(header.encode())
        for part in parts:
            with open(part, "rb") as piece:
                shutil.copyfileobj(piece, stream, 1 << 20)
            part.unlink()


def write_comparisons(model: TfidfModel, folder: Path, similar: list[Callable]) -> list[str]:
    """Write keyness.csv and similarity.csv (complete, or compact for a large corpus, whose similarity blocks
    are taken from the `similar` callables); return notes on what was written."""
    ids = model.article_ids
    if len(ids) <= LARGE_CORPUS:
        keyness, similarity = keyness_from_counts(model.article_counts()), cosine_table(dense_vectors(model))
        notes = ["one article: keyness.csv is empty and similarity.csv holds only the article with itself (nothing "
                 "to compare)"] if len(ids) < 2 else []
    else:
        keyness = keyness_top(model, top=TOP_KEYWORDS)
        similarity = most_similar_table([result() for result in similar], ids)
        notes = [f"{len(ids):,} articles (more than {LARGE_CORPUS}): keyness.csv holds each article's {TOP_KEYWORDS} "
                 f"strongest key terms per term length, similarity.csv its {TOP_SIMILAR} most similar articles"]
    write_csv(keyness, folder / "keyness.csv")
    write_csv(similarity, folder / "similarity.csv")
    return notes


def most_similar_table(candidates: list[tuple[np.ndarray, ...]], article_ids: list[str]) -> pd.DataFrame:
    """The table of each article's `TOP_SIMILAR` most similar articles (`similarity.ranked_table`) from the
    `similar_block` candidates of every block."""
    a, b, cosine = (np.concatenate(column) for column in zip(*candidates))
    best = best_per_article(a, b, cosine, TOP_SIMILAR)
    ids = np.array(article_ids, dtype=object)
    return ranked_table(a[best], ids[a[best]], ids[b[best]], cosine[best])


# --- the run ----------------------------------------------------------------------------------------------------

def out_folder(out: str | Path) -> Path:
    """The output folder `out`, absolute; InputError for the repository itself or a folder holding it."""
    out_dir = Path(out).expanduser().resolve()
    if out_dir == config.ROOT or out_dir in config.ROOT.parents:
        raise InputError(f"{out_dir}: score writes tables and a cache of its own; choose a folder for --out "
                         "outside the repository root")
    return out_dir


def cache_folder(out_dir: Path) -> Path:
    """This version's cache folder in `out_dir` (created), other versions' removed (only folders named as versions
    are: the cache holds nothing else of ours)."""
    folder = out_dir / "cache" / analysis_version()
    for other in (out_dir / "cache").glob("*") if (out_dir / "cache").exists() else []:
        if other != folder and VERSION_NAME.fullmatch(other.name) and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def score_corpus(patterns: list[str], out: str | Path, *, jobs: int = 2, progress: bool = False,
                 coder: str = "study", files: list[Path] | None = None) -> ScoreSummary:
    """Score the articles named by `patterns` (paths, folders or globs; see `corpus.expand_paths`) into
    `out/tables/` (see the module docstring), using `jobs` processes, frames coded by the `coder` named ('study':
    dictionary and learned model combined; 'dictionary': the dictionary alone, `frame_model` empty); show a
    progress bar on stderr if `progress` (and stderr is a terminal). `files`: the files of `patterns` if already
    listed (`engine.corpus_files`), so that a run lists them once.
    Raises InputError (one line) for bad input; earlier tables in `out` are then left as they were."""
    if jobs < 1:
        raise InputError(f"--jobs {jobs}: needs at least one process")
    if coder not in CODERS:
        raise InputError(f"--coder {coder}: choose one of {', '.join(CODERS)}")
    paths = expand_paths(patterns) if files is None else files
    out_dir = out_folder(out)
    tables = {parent: metadata_table(parent) for parent in {p.parent for p in paths}}
    tasks = [(p, tables[p.parent].get(p.name)) for p in paths]
    with output_folder(out_dir, OUTPUTS, "score") as staging:  # a failed run into a new folder leaves none
        (staging / "tables").mkdir()
        summary = _score_into(staging / "tables", tasks, cache_folder(out_dir), jobs, progress, coder)
        summary.notes += explorer_page(staging, summary.articles)
        replace_outputs(staging, out_dir, OUTPUTS)
    summary.out = out_dir
    return summary


def explorer_page(staging: Path, articles: int) -> list[str]:
    """Write the explorer page (`analysis.explorer`) for the tables in `staging/tables/` to `staging`, if the
    corpus has at most `MAX_ARTICLES` articles; return a note saying so otherwise (an earlier run's page in the
    output folder is then removed with its other outputs, as it describes other articles)."""
    if articles > MAX_ARTICLES:
        return [f"{articles:,} articles (more than {MAX_ARTICLES}): {EXPLORER} is not written (it holds every "
                "sentence and term, for corpora up to that size)"]
    write_explorer(staging)
    return []


def _score_into(staging: Path, tasks: list, folder: Path, jobs: int, progress: bool, coder: str) -> ScoreSummary:
    """Score `tasks` into the tables folder `staging`, frames coded by the `coder` named; return the summary. Cache
    entries this run did not use (files no longer in the corpus, changed files' earlier contents) are kept: a rerun
    that names such a file again takes its result from the cache."""
    collector = Collector(CsvStream(staging / "sentences.csv", SENTENCE_TABLE_COLUMNS),
                          CsvStream(staging / "quotes.csv", QUOTE_COLUMNS), len(tasks) <= NEAR_DUPLICATE_LIMIT)
    summary, start = ScoreSummary(files=len(tasks)), time.perf_counter()
    work = partial(score_chunk, folder=folder, coder=coder)
    if jobs > 1 and multiprocessing.get_start_method() == "fork" and any(
            not cache_entry(*task, folder, coder).exists() for task in tasks):
        preload(coder)
    shown = progress and sys.stderr.isatty()
    with tqdm(total=len(tasks), desc="scoring", unit="article", file=sys.stderr, disable=not shown, leave=False,
              smoothing=0.1) as bar:
        for chunk, results in zip(chunked(tasks, CHUNK), ordered_results(work, chunked(tasks, CHUNK), jobs)):
            for task, found in zip(chunk, results):
                scored = from_cache(found, task, folder, coder)
                collector.add(scored)
                summary.cached += scored.cached
            bar.update(len(results))
    if shown:
        print("writing the corpus-wide tables (TF-IDF, keyness, similarity) ...", file=sys.stderr)
    collector.close()
    summary.scoring_seconds, start = time.perf_counter() - start, time.perf_counter()
    summary.notes = write_corpus_tables(collector, staging, jobs)
    summary.corpus_seconds = time.perf_counter() - start
    summary.articles, summary.sentences = len(collector.articles), collector.sentence_count
    summary.scored, summary.warnings = len(tasks) - summary.cached, collector.warnings()
    return summary
