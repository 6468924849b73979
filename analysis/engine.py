"""Corpus mode on Dask: `score`'s tables for thousands to millions of articles, from a laptop to a cluster.

`framing score ...` with more than `DASK_ABOVE` files (`--engine auto`, the default; or `--engine dask`,
`--scheduler ADDRESS`, or a table of articles) runs the same per-article scoring as `analysis.score`
(`score.scored_together`, hence `pipeline.score_article`, with any `--coder`) and the same corpus-wide functions
(`vocabulary.tfidf_rows`, `vocabulary.keyness_top`, `similarity.best_per_article`) on a Dask cluster (by default
a local one, a worker process per CPU), in steps that never hold the whole corpus in one process:

1. score: each partition of `PARTITION` articles is scored by a worker and its results (articles, sentence and
   quote rows, term counts) written as Parquet to `DIR/cache/partitions/<version>/<key>/`, named by a hash of the
   partition's inputs; an existing partition is read, not scored again (an interrupted run resumes there; a
   worker killed mid-partition leaves only a temporary folder, and Dask runs the task again elsewhere). Runs of
   the same version never remove a partition: one a rerun did not use is there for a run naming its files again.
2. plan (this process): exact duplicates dropped and ids made unique in reading order, as `score` does; this
   process holds one id, hash and label per article (about 200 bytes), not the articles.
3. reduce: each partition's document frequencies, sentence frequencies and term totals, summed by a tree
   reduction; the idf (scikit-learn's smoothed formula, `vocabulary.smoothed_idf`) broadcast to the workers.
4. tables: per partition, its rows of articles, sentences, quotes, tfidf_terms and (above `LARGE_CORPUS`
   articles) keyness against the rest of the corpus, written as `tables/<name>.parquet/part-NNNNN.parquet`.
5. similarity: the TF-IDF rows of blocks of `SIMILARITY_BLOCK` articles, each block's rows and their transpose
   built once; one sparse product per pair of blocks (each pair once: a cosine is the same either way round),
   keeping each article's `TOP_SIMILAR` most similar of the other block; then each article's best over all
   blocks. The work grows with the square of the corpus (every pair of articles is compared), the memory with
   the block size only.

Up to `CSV_LIMIT` articles every table is also written as `tables/<name>.csv`, identical to `score`'s (the same
rows; tested). Up to `LARGE_CORPUS` articles keyness and similarity are complete tables, as `score` writes them.
Inputs: files, folders and globs as for `score`, or one CSV, JSON Lines or Parquet file of articles
(`--text-column`, `--id-column`, `--title-column`, `--date-column`; other columns become metadata columns of the
articles table).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
from scipy import sparse

from analysis import score
from analysis.coders import CODERS
from analysis.corpus import (NEAR_DUPLICATE_LIMIT, TABLE_SUFFIXES, Article, FirstCopies, UniqueIds,
                             article_from_text, article_labels, check_named_columns, expand_paths, load_article,
                             metadata_table, near_duplicate_warnings, sentence_rows, table_metadata)
from analysis.errors import InputError
from analysis.outputs import output_folder, replace_outputs
from analysis.pipeline import SENTENCE_TABLE_COLUMNS, article_columns
from analysis.tables import write_csv
from analysis.similarity import TOP_COLUMNS, best_per_article, cosine_table, mutual_candidates, ranked_table
from analysis.vocabulary import (KEYNESS_COLUMNS, TFIDF_COLUMNS, TermCounts, TfidfModel, dense_vectors,
                                 keyness_from_counts, keyness_top, ngram_lengths, smoothed_idf, tfidf_model,
                                 tfidf_rows, tfidf_weights)
from analysis.voices import QUOTE_COLUMNS

PARTITION = 200           # articles per partition (task) of the scoring step
SIMILARITY_BLOCK = 2_000   # articles per block of the similarity step (a product holds at most its square)
CSV_LIMIT = 1_000         # articles; up to this many, the tables are also written as CSV
DASK_ABOVE = 10_000       # files; `score --engine auto` (the default) runs on Dask above this many
IN_FLIGHT = 3             # partitions per worker submitted ahead of the results taken
# The local cluster's configuration (a cluster of one's own is configured by its own owner). Dask's statistical
# profiler keeps, in every worker, a call tree per second of the last 1,000 seconds and per task prefix: about
# 0.1 MB a second with spaCy's deep stacks, so a worker grew by some 100 MB in the first quarter hour of a run
# whatever it computed: off. Workers are forked from a server process that has imported Dask, NumPy and pandas
# once ("forkserver"), rather than each started as a new interpreter ("spawn", Dask's default): they start
# sooner, and they end at once, where a spawned worker that had loaded spaCy took 1-4 s to tear its interpreter
# down at the end of every run. A worker's event loop wakes every 20 ms to time itself, every 0.5 s to poll the
# system and every 0.1 s to poll its memory (unlimited here), taking the interpreter from the scoring thread: about
# 4% of a worker's CPU on top of its tasks; once a second or two, 1%.
LOCAL_CONFIG = {"distributed.worker.profile.enabled": False, "distributed.worker.multiprocessing-method": "forkserver",
                "distributed.admin.tick.interval": "1s", "distributed.admin.system-monitor.interval": "2s",
                "distributed.worker.memory.monitor-interval": "1s"}
PRELOAD = "analysis.worker_preload"  # imported by the local cluster's fork server (`start_fork_server`)
TABLES = ("articles", "sentences", "quotes", "tfidf_terms", "keyness", "similarity")
INTEGERS = {"sentences": ("sentence_index", "paragraph", "words"),
            "quotes": ("quote_index", "first_sentence", "last_sentence", "words")}


# --- inputs ------------------------------------------------------------------------------------------------------

@dataclass
class Partition:
    """One partition of the input: its number, a key (hash of its inputs, the frame coder's name and the analysis
    version), the frame coder named (`coders.CODERS`), and its items: (path, metadata-table fields) of files, or
    (name, text, metadata) of a table's rows."""

    number: int
    key: str
    coder: str = "study"
    files: list = field(default_factory=list)
    rows: list = field(default_factory=list)


def corpus_files(patterns: list[str]) -> list[Path] | None:
    """The files named by `patterns` (`corpus.expand_paths`), listed once for the whole run (`chosen_engine`, then
    `score_dask` or `score.score_corpus`), or None for a table of articles."""
    return None if is_table(patterns) else expand_paths(patterns)


def chosen_engine(engine: str, files: list[Path] | None, scheduler: str | None = None) -> str:
    """The engine of a `score` run of `files` (`corpus_files`), 'processes' or 'dask': Dask for a scheduler
    address or a table of articles (`files` None), else `engine` if named; 'auto': Dask for more than
    `DASK_ABOVE` files, else the process pool (below that a local cluster's start-up costs more than it saves)."""
    if scheduler or files is None:
        return "dask"
    if engine != "auto":
        return engine
    return "dask" if len(files) > DASK_ABOVE else "processes"


def is_table(patterns: list[str]) -> bool:
    """True if `patterns` name one table of articles (a .csv, .jsonl or .parquet file)."""
    return len(patterns) == 1 and Path(patterns[0]).suffix.lower() in TABLE_SUFFIXES and Path(patterns[0]).is_file()


def digest(*parts) -> str:
    """SHA-256 (32 hex digits) of the analysis version and `parts` (JSON)."""
    text = json.dumps([score.analysis_version(), *parts], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def file_partitions(paths: list[Path], size: int, coder: str = "study") -> Iterator[Partition]:
    """Partitions of the files `paths` (`corpus_files`) to be coded by `coder`, keyed by the coder and the path,
    metadata, size and modification time of each file. A partition ends before a file whose path hashes to a
    multiple of `size` (about `size` files on average, at most 2 × `size`), so adding or changing a file changes
    only its own partition: a rerun scores only that one again."""
    tables = {parent: metadata_table(parent) for parent in {p.parent for p in paths}}
    for number, chunk in enumerate(path_chunks(paths, size)):
        files = [(p, tables[p.parent].get(p.name)) for p in chunk]
        stamps = []
        for path, meta in files:
            try:
                stat = path.stat()
            except OSError as error:
                raise InputError(f"{path}: cannot be read ({error.strerror})") from None
            stamps.append((str(path), meta, stat.st_size, stat.st_mtime_ns))
        yield Partition(number, digest("files", coder, stamps), coder, files=files)


def path_chunks(paths: list[Path], size: int) -> Iterator[list[Path]]:
    """Consecutive runs of `paths`, cut before a path whose SHA-1 is a multiple of `size` or at 2 × `size`."""
    chunk: list[Path] = []
    for path in paths:
        cut = int(hashlib.sha1(str(path).encode()).hexdigest()[:12], 16) % size == 0
        if chunk and (cut or len(chunk) >= 2 * size):
            yield chunk
            chunk = []
        chunk.append(path)
    if chunk:
        yield chunk


def table_chunks(path: Path, size: int, text_column: str) -> Iterator[pd.DataFrame]:
    """The rows of the table of articles `path` (CSV, JSON Lines or Parquet), `size` at a time, as strings.
    InputError (one line) for a malformed row or a missing text column."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq
            found = pq.ParquetFile(path)
            check_column(path, list(found.schema_arrow.names), text_column)
            for batch in found.iter_batches(batch_size=size):
                yield batch.to_pandas().astype(object).where(lambda t: t.notna(), "")
            return
        reader = (pd.read_json(path, lines=True, chunksize=size, dtype=False) if suffix in (".jsonl", ".json") else
                  pd.read_csv(path, chunksize=size, dtype=str, keep_default_na=False,
                              sep="\t" if suffix == ".tsv" else ","))
        with reader:
            for number, chunk in enumerate(reader):
                if number == 0:
                    check_column(path, list(chunk.columns), text_column)
                yield chunk.astype(object).where(chunk.notna(), "")
    except InputError:
        raise
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (it holds the byte 0x{error.object[error.start]:02x}, invalid in "
                         "UTF-8); save the table as UTF-8 (in Excel: CSV UTF-8)") from None
    except (ValueError, OSError) as error:  # pandas' ParserError is a ValueError
        problem = " ".join(str(error).split())
        raise InputError(f"{path}: cannot be read as a table of articles ({problem})") from None
    except Exception as error:  # pyarrow's errors
        problem = " ".join(str(error).split())
        raise InputError(f"{path}: cannot be read as a table of articles ({problem})") from None


def check_column(path: Path, columns: list[str], text_column: str) -> None:
    """InputError unless the table `path` has the column `text_column`."""
    if text_column not in columns:
        raise InputError(f"{path}: no column {text_column!r} (columns: {', '.join(map(str, columns))}); name the "
                         "column holding the articles' text with --text-column")


def table_partitions(path: Path, size: int, text_column: str, columns: dict[str, str],
                     coder: str = "study") -> Iterator[Partition]:
    """Partitions of the rows of a table of articles to be coded by `coder`, keyed by the coder and their text
    and metadata; `columns`: header key → the column that holds it (`corpus.table_metadata`)."""
    start = 0
    for number, chunk in enumerate(table_chunks(path, size, text_column)):
        if number == 0:  # as `table_chunks` checks the text column: on the table's first chunk
            check_named_columns(path, list(chunk.columns), text_column, columns)
        if chunk.empty:  # a CSV file of a header alone
            continue
        rows = []
        for offset, record in enumerate(chunk.to_dict("records")):
            text = str(record.pop(text_column))
            if not text.strip():
                raise InputError(f"{path}: row {start + offset + 1:,} has no text in column {text_column!r}")
            rows.append((f"{path.stem}-{start + offset + 1}", text, table_metadata(record, columns)))
        start += len(rows)
        yield Partition(number, digest("table", coder, str(path), rows), coder, rows=rows)


# --- step 1: score a partition (on a worker) ----------------------------------------------------------------------

def score_partition(folder: str, partition: Partition) -> dict:
    """Score `partition` into `folder/<key>/` unless already there; return its summary (`read_summary`), or
    {"error": message} for bad input (returned, not raised: Dask would retry the task and log each failure with a
    traceback, where the input is bad whatever the attempt)."""
    target = Path(folder) / partition.key
    if (target / "summary.json").exists():
        return {**read_summary(target), "cached": True}
    temporary = Path(folder) / f".{partition.key}.{uuid.uuid4().hex}"
    temporary.mkdir(parents=True)
    try:
        write_partition(temporary, partition)
        try:
            os.rename(temporary, target)
        except OSError:  # another attempt at the same partition finished first
            shutil.rmtree(temporary, ignore_errors=True)
    except InputError as error:
        return {"error": str(error)}
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return {**read_summary(target), "cached": False}


def scored_items(partition: Partition) -> list[score.ScoredFile]:
    """Each article of `partition` scored, `score.CHUNK` at a time together (`score.scored_together`), as the
    process pool scores them."""
    found = []
    for chunk in score.chunked(partition.files or partition.rows, score.CHUNK):
        loaded = [load_article(*item) if partition.files else
                  article_from_text(item[1], "utf-8", [], Path(item[0]), item[2]) for item in chunk]
        found += score.scored_together([(article, sentence_rows(article)) for article in loaded], partition.coder)
    return found


def write_partition(folder: Path, partition: Partition) -> None:
    """Write the scored articles of `partition` to `folder`: articles, sentences, quotes and terms as Parquet
    (sentence and quote rows with `_row`, the article's position in the partition), and summary.json."""
    found = scored_items(partition)
    articles = pd.DataFrame([{**s.article, **s.statistics, "given_label": s.label, "path": str(s.path)}
                             for s in found])
    for name, columns in (("sentences", SENTENCE_TABLE_COLUMNS), ("quotes", QUOTE_COLUMNS)):
        parsed_lines(found, name, columns).to_parquet(folder / f"{name}.parquet", index=False)
    term_table(found).to_parquet(folder / "terms.parquet", index=False)
    articles.assign(term_sentences=[s.terms.sentences for s in found]).to_parquet(folder / "articles.parquet",
                                                                                  index=False)
    pd.DataFrame({"text": [" ".join(block for _, _, block in s.paragraphs) for s in found]}).to_parquet(
        folder / "texts.parquet", index=False)  # for the near-duplicate check of a small corpus
    summary = dict(articles=articles[["article_id", "content_hash", "given_label", "title", "path"]].to_dict("list"),
                   sentences=[s.sentences for s in found], warnings=[w for s in found for w in s.warnings],
                   language=[w for s in found for w in s.language], extra=sorted(set(articles.columns)))
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")


def term_table(found: list[score.ScoredFile]) -> pd.DataFrame:
    """The term counts of the scored articles `found`: `_row` (the article's position), term, count and
    sentence_count (sentences using the term), integers as int32; built column by column (a row of Python objects
    per term cost three times as much)."""
    counts = [s.terms.counts for s in found]
    return pd.DataFrame({
        "_row": np.repeat(np.arange(len(found), dtype=np.int32), [len(c) for c in counts]),
        "term": pd.Series([t for c in counts for t in c], dtype=object),
        "count": np.fromiter((n for c in counts for n in c.values()), np.int32),
        "sentence_count": np.fromiter((s.terms.sentence_counts[t] for s in found for t in s.terms.counts), np.int32)})


def parsed_lines(found: list[score.ScoredFile], name: str, columns: list[str]) -> pd.DataFrame:
    """The rows of table `name` of the scored articles `found` (their `score.csv_lines` text) with `_row`, the
    article's position: strings, integer columns as int64, compound as float."""
    rows = [(row, *fields) for row, scored in enumerate(found)
            for fields in csv.reader(io.StringIO(scored.lines[name], newline=""))]
    table = pd.DataFrame(rows, columns=["_row", *columns], dtype=object)
    types = {"_row": "int32", **{c: "int64" for c in INTEGERS[name]}, **({"compound": "float64"} if name == "sentences"
                                                                          else {})}
    return table.astype({**{c: str for c in columns}, **types})


def read_summary(folder: Path) -> dict:
    """A scored partition's summary: article ids, hashes, given labels, paths, sentences, warnings, columns."""
    return {**json.loads((folder / "summary.json").read_text(encoding="utf-8")), "folder": str(folder)}


# --- step 2: plan (here) ------------------------------------------------------------------------------------------

@dataclass
class Plan:
    """Which articles are kept (exact duplicates dropped) and their final ids and labels, partition by partition:
    for each partition its folder, kept rows, ids, labels and the global index of its first kept article."""

    folders: list[str] = field(default_factory=list)
    rows: list[list[int]] = field(default_factory=list)
    ids: list[list[str]] = field(default_factory=list)
    labels: list[list[str]] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    extra: set = field(default_factory=set)
    sentences: int = 0
    files: int = 0    # articles read, duplicates included
    cached: int = 0   # of which in partitions scored by an earlier run
    notes: dict = field(default_factory=lambda: {"load": [], "duplicate": [], "language": []})

    @property
    def articles(self) -> int:
        return sum(map(len, self.rows))


def make_plan(summaries: list[dict]) -> Plan:
    """The `Plan` of the scored partitions' `summaries` (in reading order), as `score.Collector` decides."""
    plan, assign, copies, named = Plan(), UniqueIds(), FirstCopies(), []
    for summary in summaries:
        found = summary["articles"]
        rows, ids = [], []
        plan.files += len(found["article_id"])
        plan.cached += len(found["article_id"]) if summary["cached"] else 0
        plan.notes["load"] += summary["warnings"]
        plan.notes["language"] += summary["language"]
        for row, (article_id, content, label, title, path) in enumerate(zip(
                found["article_id"], found["content_hash"], found["given_label"], found["title"], found["path"])):
            if duplicate := copies.duplicate(content, Path(path)):
                plan.notes["duplicate"].append(duplicate)
                continue
            final = assign(article_id, path)
            rows.append(row), ids.append(final)
            named.append((final, {"label": label, "title": title, "path": path}))
            plan.sentences += summary["sentences"][row]
        plan.offsets.append(plan.articles)
        plan.folders.append(summary["folder"]), plan.rows.append(rows), plan.ids.append(ids)
        plan.extra |= set(summary["extra"])
    plan.notes["duplicate"] += assign.renamed  # after the dropped copies, as `score` and `corpus` give them
    labels = article_labels(named)
    plan.labels = [labels[o:o + len(r)] for o, r in zip(plan.offsets, plan.rows)]
    return plan


def near_duplicates(folders: list[str], rows: list[list[int]]) -> list[str]:
    """`corpus.near_duplicate_warnings` of the kept `rows` of the scored partitions in `folders` (corpus order),
    from their texts (paragraphs joined) and paths, as `score` checks a corpus of at most `NEAR_DUPLICATE_LIMIT`
    files."""
    kept = []
    for folder, mine in zip(folders, rows):
        paths = pd.read_parquet(Path(folder) / "articles.parquet", columns=["path"])["path"]
        texts = pd.read_parquet(Path(folder) / "texts.parquet")["text"]
        kept += [Article("", Path(paths.iloc[row]), {}, "", [(1, "body", texts.iloc[row])]) for row in mine]
    return near_duplicate_warnings(kept)


# --- step 3: the vocabulary (tree reduction) ----------------------------------------------------------------------

def kept_terms(folder: str, rows: list[int]) -> pd.DataFrame:
    """The term counts (`_row`, term, count, sentence_count) of the kept `rows` of a scored partition."""
    terms = pd.read_parquet(Path(folder) / "terms.parquet")
    return terms[terms["_row"].isin(rows)]


def partition_frequencies(folder: str, rows: list[int]) -> pd.DataFrame:
    """Per term of a partition's kept articles: total count, articles using it (df) and sentences using it."""
    terms = kept_terms(folder, rows)
    return terms.groupby("term").agg(total=("count", "sum"), df=("count", "size"),
                                     sentence_df=("sentence_count", "sum")).astype("int64")


def summed(*tables: pd.DataFrame) -> pd.DataFrame:
    """Term frequency tables added (terms in any of them; absent counts 0)."""
    total = tables[0]
    for table in tables[1:]:
        total = total.add(table, fill_value=0).astype("int64")
    return total


@dataclass
class Vocabulary:
    """The corpus' sorted terms, their idf (articles and sentences as documents), total counts and number of words
    (built on a worker and sent to the others, never to the command's process)."""

    terms: np.ndarray
    idf: dict
    totals: np.ndarray
    lengths: np.ndarray

    @cached_property
    def positions(self) -> pd.Index:
        """The terms as an index: their positions looked up by hashing (built once per worker process), some five
        times faster than a binary search of the strings."""
        return pd.Index(self.terms)


def vocabulary(frequencies: pd.DataFrame, articles: int, sentences: int) -> Vocabulary:
    """`Vocabulary` from the summed frequencies (`partition_frequencies`) of a corpus of `articles` articles
    and `sentences` sentences."""
    frequencies = frequencies.sort_index()
    terms = np.array(frequencies.index.tolist(), dtype=object)
    order = np.argsort(terms)  # Python's string order, as `vocabulary.encoded_model` sorts
    frequencies, terms = frequencies.iloc[order], terms[order]
    idf = {"article": smoothed_idf(frequencies["df"].to_numpy(), articles),
           "sentence": smoothed_idf(frequencies["sentence_df"].to_numpy(), sentences)}
    return Vocabulary(terms, idf, frequencies["total"].to_numpy(np.int64), ngram_lengths(terms))


# --- step 4: each partition's tables (on a worker) ----------------------------------------------------------------

def partition_model(folder: str, rows: list[int], ids: list[str], words: Vocabulary) -> TfidfModel:
    """A `TfidfModel` of a partition's kept articles over the corpus vocabulary and idf."""
    terms = kept_terms(folder, rows)
    position = {row: i for i, row in enumerate(rows)}
    matrix = sparse.coo_array((terms["count"].to_numpy(np.float64),
                               (terms["_row"].map(position).to_numpy(), words.positions.get_indexer(terms["term"]))),
                              shape=(len(rows), len(words.terms))).tocsr()
    matrix.sort_indices()
    model = TfidfModel(list(ids), words.terms, matrix, words.idf)
    model.lengths = words.lengths  # the corpus vocabulary's, computed once
    return model


def write_partition_tables(folder: str, number: int, rows: list[int], ids: list[str], labels: list[str],
                           extra: list[str], words: Vocabulary, tables: str, scratch: str, large: bool) -> int:
    """Write a partition's rows of every per-partition table to `tables/<name>.parquet/part-<number>.parquet`;
    above `LARGE_CORPUS` articles also its keyness rows and, for the similarity step, its TF-IDF weights to
    `scratch`. Returns the number of kept articles."""
    source, part = Path(folder), f"part-{number:05d}.parquet"
    renamed = dict(zip(rows, ids))
    articles = pd.read_parquet(source / "articles.parquet").iloc[rows]
    articles = articles.assign(article_id=ids, label=labels).drop(columns=["given_label", "path", "term_sentences"])
    articles = article_columns(articles.reindex(columns=sorted(set(articles.columns) | set(extra))))
    write_part(articles, tables, "articles", part)
    for name in ("sentences", "quotes"):
        found = pd.read_parquet(source / f"{name}.parquet")
        found = found[found["_row"].isin(rows)]
        write_part(found.assign(article_id=found["_row"].map(renamed)).drop(columns="_row"), tables, name, part)
    model = partition_model(folder, rows, ids, words)
    write_part(tfidf_rows(model), tables, "tfidf_terms", part)
    if large:
        write_part(keyness_top(model, top=score.TOP_KEYWORDS, corpus_totals=words.totals), tables, "keyness", part)
        write_weights(scratch, number, model.weights(), ids)
    return len(rows)


def write_part(table: pd.DataFrame, tables: str, name: str, part: str) -> None:
    """Write `table` as one part of the Parquet dataset `tables/<name>.parquet/` (index dropped)."""
    if table.empty:  # an empty part's column types are unknown; `empty_tables` writes the empty table if needed
        return
    folder = Path(tables) / f"{name}.parquet"
    folder.mkdir(exist_ok=True)
    table.reset_index(drop=True).to_parquet(folder / part, index=False)


# --- step 5: most similar articles (blocked sparse products, on workers) ------------------------------------------

@dataclass
class Block:
    """Consecutive partitions (their numbers) holding about `SIMILARITY_BLOCK` kept articles: the first one's
    index in the corpus (`offset`) and the number of articles (their ids are in the scratch folder, so that a task
    description stays small)."""

    number: int
    partitions: list[int]
    offset: int
    size: int = 0


def similarity_blocks(plan: Plan, size: int) -> list[Block]:
    """The partitions with kept articles grouped into `Block`s of about `size` articles."""
    blocks: list[Block] = []
    for number, (offset, rows) in enumerate(zip(plan.offsets, plan.rows)):
        if not rows:
            continue
        if not blocks or blocks[-1].size >= size:
            blocks.append(Block(len(blocks), [], offset))
        blocks[-1].partitions.append(number)
        blocks[-1].size += len(rows)
    return blocks


def write_weights(scratch: str, number: int, weights: sparse.csr_array, ids: list[str]) -> None:
    """Write partition `number`'s TF-IDF rows and article ids to `scratch` for the similarity step."""
    sparse.save_npz(Path(scratch) / f"weights-{number:05d}.npz", weights, compressed=False)
    pd.DataFrame({"article_id": ids}).to_parquet(Path(scratch) / f"ids-{number:05d}.parquet", index=False)


def block_ids(scratch: str, block: Block) -> np.ndarray:
    """The ids of `block`'s articles (written by `block_weights`)."""
    return pd.read_parquet(Path(scratch) / f"block-ids-{block.number:05d}.parquet")["article_id"].to_numpy(object)


def block_weights(scratch: str, block: Block, *written) -> None:
    """Write the TF-IDF rows of `block` (its partitions' weights stacked, CSR) and their transpose (terms ×
    articles, CSR), each built once, to `scratch/rows-<block>.npz` and `scratch/columns-<block>.npz`, and its
    articles' ids. `written`: the tasks writing the partitions' weights (`write_weights`), which this one waits
    for."""
    weights = sparse.vstack([sparse.load_npz(Path(scratch) / f"weights-{p:05d}.npz") for p in block.partitions])
    weights = weights.tocsr()
    sparse.save_npz(Path(scratch) / f"rows-{block.number:05d}.npz", weights, compressed=False)
    sparse.save_npz(Path(scratch) / f"columns-{block.number:05d}.npz", weights.T.tocsr(), compressed=False)
    pd.concat([pd.read_parquet(Path(scratch) / f"ids-{p:05d}.parquet") for p in block.partitions]).to_parquet(
        Path(scratch) / f"block-ids-{block.number:05d}.parquet", index=False)


def block_pair(scratch: str, first: Block, second: Block, *built) -> None:
    """The cosines of the articles of block `first` with those of block `second` (one sparse product, at most
    `SIMILARITY_BLOCK`² cosines in memory), each pair of blocks once: for each article of either block its
    candidates for the `TOP_SIMILAR` most similar in the other (`similarity.mutual_candidates`), written to
    `scratch/candidates-<block>-<other block>.parquet`. `built`: the `block_weights` tasks this one waits for."""
    weights = sparse.load_npz(Path(scratch) / f"rows-{first.number:05d}.npz").tocsr()
    cosines = (weights @ sparse.load_npz(Path(scratch) / f"columns-{second.number:05d}.npz").tocsr()).toarray()
    same = second.number == first.number
    (rows, columns), (others, among) = mutual_candidates(cosines, score.TOP_SIMILAR, first.size if same else 0)
    write_candidates(scratch, first, second, rows, columns, cosines[rows, columns])
    if not same:
        write_candidates(scratch, second, first, others, among, cosines[among, others])


def write_candidates(scratch: str, block: Block, other: Block, rows: np.ndarray, columns: np.ndarray,
                     cosines: np.ndarray) -> None:
    """Write the candidates of `block`'s articles (positions `rows` in it) among `other`'s (positions `columns`),
    with their `cosines`: article and other article (corpus positions), the other's id, the cosine."""
    table = pd.DataFrame({"a": rows + block.offset, "b": columns + other.offset,
                          "article_b": block_ids(scratch, other)[columns], "cosine": cosines})
    table.to_parquet(Path(scratch) / f"candidates-{block.number:05d}-{other.number:05d}.parquet", index=False)


def block_similarity(scratch: str, block: Block, tables: str, *pairs) -> int:
    """Write the `TOP_SIMILAR` most similar articles of each article of `block` (the best of its candidates among
    every block, taken one block at a time) as `tables/similarity.parquet/part-<block>.parquet`; return the rows
    written. `pairs`: the `block_pair` tasks this one waits for."""
    best = None
    for path in sorted(Path(scratch).glob(f"candidates-{block.number:05d}-*.parquet")):
        found = pd.read_parquet(path) if best is None else pd.concat([best, pd.read_parquet(path)], ignore_index=True)
        best = found.iloc[best_per_article(found["a"].to_numpy(), found["b"].to_numpy(), found["cosine"].to_numpy(),
                                           score.TOP_SIMILAR)]
    a = best["a"].to_numpy()
    table = ranked_table(a, block_ids(scratch, block)[a - block.offset], best["article_b"].to_numpy(),
                         best["cosine"].to_numpy())
    write_part(table, tables, "similarity", f"part-{block.number:05d}.parquet")
    return len(table)


def most_similar_articles(client, plan: Plan, written: dict, scratch: str, tables: str, size: int) -> None:
    """Step 5 on `client`, once each partition's weights are `written` (its `write_partition_tables` task by
    partition number): blocks of about `size` articles built, each pair of blocks multiplied once, each block's
    best candidates kept."""
    blocks = similarity_blocks(plan, size)
    built = [client.submit(block_weights, scratch, block, *[written[p] for p in block.partitions], pure=False,
                           retries=2) for block in blocks]
    pairs: dict[int, list] = {block.number: [] for block in blocks}
    for first in blocks:
        for second in blocks[first.number:]:
            task = client.submit(block_pair, scratch, first, second, built[first.number], built[second.number],
                                 pure=False, retries=2)
            pairs[first.number].append(task)
            pairs[second.number].append(task)
    client.gather([client.submit(block_similarity, scratch, block, tables, *pairs[block.number], pure=False,
                                 retries=2) for block in blocks])


# --- small corpora: complete keyness and similarity (here) --------------------------------------------------------

def complete_comparisons(plan: Plan, tables: Path) -> None:
    """Keyness and similarity of a corpus of at most `LARGE_CORPUS` articles, complete, as `score` writes them."""
    terms: dict[str, TermCounts] = {}
    for folder, rows, ids in zip(plan.folders, plan.rows, plan.ids):
        found = kept_terms(folder, rows)
        sentences = pd.read_parquet(Path(folder) / "articles.parquet")["term_sentences"]
        for row, article_id in zip(rows, ids):
            mine = found[found["_row"] == row]
            terms[article_id] = TermCounts(Counter(dict(zip(mine["term"], mine["count"].astype(int)))),
                                           Counter(dict(zip(mine["term"], mine["sentence_count"].astype(int)))),
                                           int(sentences.iloc[row]))
    model = tfidf_model(terms)
    write_part(keyness_from_counts(model.article_counts()), str(tables), "keyness", "part-00000.parquet")
    write_part(cosine_table(dense_vectors(model)), str(tables), "similarity", "part-00000.parquet")


def empty_tables(tables: Path, articles: int) -> None:
    """Write an empty part (string columns) for each table that should exist but has no rows (e.g. quotes)."""
    expected = {"sentences": SENTENCE_TABLE_COLUMNS, "quotes": QUOTE_COLUMNS, "tfidf_terms": TFIDF_COLUMNS,
                "keyness": KEYNESS_COLUMNS, "similarity": TOP_COLUMNS}
    for name, columns in expected.items():
        folder = tables / f"{name}.parquet"
        if not folder.exists():
            folder.mkdir()
            pd.DataFrame({c: pd.Series(dtype=str) for c in columns}).to_parquet(folder / "part-00000.parquet",
                                                                              index=False)


# --- the run ------------------------------------------------------------------------------------------------------

def connect(scheduler: str | None, workers: int | None):
    """A Dask client: of the cluster at `scheduler`, or of a new local cluster of `workers` processes (default:
    one per CPU), one thread each, with `LOCAL_CONFIG`. InputError (one line) if the scheduler cannot be reached."""
    import dask
    from distributed import Client, LocalCluster
    if scheduler:
        try:
            return Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as error:
            problem = " ".join(str(error).split())
            raise InputError(f"--scheduler {scheduler}: cannot connect to a Dask scheduler there ({problem})") from None
    with dask.config.set(LOCAL_CONFIG):
        start_fork_server()
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                               dashboard_address=":0", memory_limit=0)
    return Client(cluster)


def start_fork_server() -> None:
    """Start this process's fork server, from which the local cluster's workers are forked ("forkserver",
    `LOCAL_CONFIG`), importing Dask's modules (as Dask would) and `PRELOAD`, which loads the spaCy pipeline and the
    frame coder: the workers then start with them loaded and share one copy (copy-on-write pages, frozen out of
    the garbage collector), as the process pool's workers share the command's, instead of each importing and
    loading its own (about 3 s of CPU each). The server loads them while this process starts the scheduler. Does
    nothing if the server runs already."""
    import multiprocessing.forkserver
    from distributed.versions import optional_packages, required_packages
    multiprocessing.forkserver.set_forkserver_preload(["distributed", *required_packages, *optional_packages,
                                                       PRELOAD])
    multiprocessing.forkserver.ensure_running()


def score_dask(patterns: list[str], out: str | Path, *, scheduler: str | None = None, workers: int | None = None,
               text_column: str = "text", columns: dict[str, str] | None = None, partition: int = PARTITION,
               similarity_block: int = SIMILARITY_BLOCK, coder: str = "study", progress: bool = False,
               files: list[Path] | None = None) -> score.ScoreSummary:
    """Score the articles of `patterns` (files, folders, globs, or one table of articles) into `out/tables/` on
    a Dask cluster (see the module docstring), frames coded by the `coder` named (as `score.score_corpus`);
    `columns`: for a table of articles, header key → the column holding it (id, title, date);
    `files`: the files of `patterns` if already listed (`corpus_files`). InputError (one line) for bad input; an
    earlier run's tables in `out` are then left as they were."""
    if coder not in CODERS:
        raise InputError(f"--coder {coder}: choose one of {', '.join(CODERS)}")
    if workers is not None and workers < 1:
        raise InputError(f"--workers {workers}: needs at least one worker process")
    if partition < 1:
        raise InputError(f"--partition {partition}: needs at least one article per partition")
    if similarity_block < 1:
        raise InputError(f"--similarity-block {similarity_block}: needs at least one article per block")
    if is_table(patterns):
        source = Path(patterns[0]).expanduser().resolve()
        if next(table_partitions(source, 1, text_column, columns or {}), None) is None:  # bad columns fail here
            raise InputError(f"{source}: holds no articles (no rows)")
        partitions = table_partitions(source, partition, text_column, columns or {}, coder)
    else:
        partitions = file_partitions(expand_paths(patterns) if files is None else files, partition, coder)
    out_dir = score.out_folder(out)
    with output_folder(out_dir, score.OUTPUTS, "score") as staging:  # a failed run into a new folder leaves none
        client = connect(scheduler, workers)
        try:
            return run(client, partitions, out_dir, staging, progress, similarity_block)
        finally:
            close(client)


def close(client) -> None:
    """Close `client` and the local cluster it started (not a cluster it connected to)."""
    cluster = client.cluster
    client.close()
    if cluster is not None:
        cluster.close()


def run(client, partitions: Iterator[Partition], out_dir: Path, staging: Path, progress: bool,
        similarity_block: int) -> score.ScoreSummary:
    """Steps 1-5 (module docstring) on `client`, tables staged and then moved into `out_dir/tables/`; the
    similarity step in blocks of `similarity_block` articles."""
    from distributed import as_completed
    start = time.perf_counter()
    shown = progress and sys.stderr.isatty()
    folder = out_dir / "cache" / "partitions" / score.analysis_version()
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(".*"):  # a partition cut short by an interrupted run
        shutil.rmtree(stale, ignore_errors=True)
    for other in folder.parent.iterdir():  # partitions scored by another version of the analysis
        if other != folder and score.VERSION_NAME.fullmatch(other.name) and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)
    workers = max(1, len(client.scheduler_info()["workers"]))
    summaries: dict[int, dict] = {}
    pending = as_completed()
    for item in partitions:
        pending.add(client.submit(score_partition, str(folder), item, key=f"score-{item.key}-{item.number}",
                                  pure=False, retries=2))
        while pending.count() >= IN_FLIGHT * workers:
            take(next(pending), summaries, shown, progress)
    for future in pending:
        take(future, summaries, shown, progress)
    plan = make_plan([summaries.pop(n) for n in sorted(summaries)])  # the plan keeps what it needs of them
    summary = score.ScoreSummary(files=plan.files, articles=plan.articles, sentences=plan.sentences)
    summary.cached = plan.cached
    summary.scored = summary.files - summary.cached
    summary.scoring_seconds, start = time.perf_counter() - start, time.perf_counter()
    if shown:
        print("writing the corpus-wide tables (TF-IDF, keyness, similarity) ...", file=sys.stderr)
    (staging / "tables").mkdir()
    (staging / "scratch").mkdir()
    near = (client.submit(near_duplicates, plan.folders, plan.rows, pure=False)
            if summary.files <= NEAR_DUPLICATE_LIMIT else None)  # as `score` checks
    summary.notes = corpus_tables(client, plan, staging, similarity_block)
    summary.notes += score.explorer_page(staging, plan.articles)
    replace_outputs(staging, out_dir, score.OUTPUTS)  # partitions this run did not use stay in the cache
    summary.corpus_seconds = time.perf_counter() - start
    summary.warnings = plan.notes["load"] + plan.notes["duplicate"] + plan.notes["language"] + (
        near.result() if near is not None else [])
    summary.out = out_dir
    return summary


def take(future, summaries: dict, shown: bool, progress: bool) -> None:
    """Keep a scored partition's summary (raises the task's error, and InputError for bad input); with
    `progress`, print the dashboard's address at the first and a count of articles scored on a terminal
    (`shown`)."""
    found = future.result()
    if "error" in found:
        raise InputError(found["error"])
    if not summaries and progress:  # the run has started: where to watch it
        print(f"dask: dashboard at {future.client.dashboard_link}", file=sys.stderr)
    number = int(future.key.rsplit("-", 1)[1])
    summaries[number] = found
    if shown:
        print(f"\rscored {sum(len(s['sentences']) for s in summaries.values()):,} articles", end="",
              file=sys.stderr, flush=True)


def corpus_tables(client, plan: Plan, staging: Path, similarity_block: int = SIMILARITY_BLOCK) -> list[str]:
    """Steps 3-5 into `staging/tables` (similarity in blocks of `similarity_block` articles); return notes on the
    tables (compact forms, tables not written)."""
    tables, scratch = staging / "tables", staging / "scratch"
    parts = [(f, r) for f, r in zip(plan.folders, plan.rows) if r]
    futures = [client.submit(partition_frequencies, f, r, pure=False) for f, r in parts]
    while len(futures) > 1:  # tree reduction, eight at a time
        futures = [client.submit(summed, *futures[i:i + 8], pure=False) for i in range(0, len(futures), 8)]
    shared = client.submit(vocabulary, futures[0], plan.articles, plan.sentences, pure=False)  # kept on workers
    large, n = plan.articles > score.LARGE_CORPUS, plan.articles
    extra = sorted(plan.extra - {"given_label", "path", "term_sentences"})
    written = {number: client.submit(write_partition_tables, f, number, r, ids, labels, extra, shared, str(tables),
                                     str(scratch), large, pure=False, retries=2)
               for number, (f, r, ids, labels) in enumerate(zip(plan.folders, plan.rows, plan.ids, plan.labels))
               if r}
    notes = []
    if not large:
        client.gather(list(written.values()))
        complete_comparisons(plan, tables)
        if n < 2:
            notes.append("one article: keyness is empty and similarity holds only the article with itself (nothing "
                         "to compare)")
    else:
        most_similar_articles(client, plan, written, str(scratch), str(tables), similarity_block)
        client.gather(list(written.values()))
        notes.append(f"{n:,} articles (more than {score.LARGE_CORPUS}): keyness holds each article's "
                     f"{score.TOP_KEYWORDS} strongest key terms per term length, similarity its {score.TOP_SIMILAR} "
                     "most similar articles")
    empty_tables(tables, n)
    if n <= CSV_LIMIT:
        for name in TABLES:
            if (tables / f"{name}.parquet").exists():
                write_csv(pd.read_parquet(tables / f"{name}.parquet"), tables / f"{name}.csv")
    else:
        notes.append(f"{n:,} articles (more than {CSV_LIMIT:,}): tables written as Parquet datasets only "
                     "(tables/<name>.parquet/, read with pandas.read_parquet)")
    return notes
