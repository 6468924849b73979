"""Batch scoring (`python -m analysis score`): the same tables as the study, serial and parallel runs alike, the
compact tables of large corpora, incremental reruns from the cache, bad input; and the optimized functions it
relies on give exactly what the plain computations give."""
import multiprocessing
import pickle
import re
import shutil
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from analysis import config, score
from analysis.corpus import expand_paths, load_article, load_corpus, sentence_rows
from analysis.coders import parse_model_evidence
from analysis.errors import InputError
from analysis.frames import load_frames, parse_evidence
from analysis.pipeline import articles_table, sentences_table
from analysis.outputs import MARKER
from analysis.score import ScoreSummary, score_corpus
from analysis.similarity import cosine_similarities, cosine_table
from analysis.tables import write_table
from analysis.vocabulary import (corpus_terms, dense_vectors, keyness_from_counts, keyness_table, keyness_top,
                                 sort_by_article, tfidf_model, tfidf_table)
from analysis.voices import find_quotes, parse_requests

TABLES = ("articles", "sentences", "quotes", "tfidf_terms", "keyness", "similarity")


def quietly(function, *args, **kwargs):
    """`function(*args, **kwargs)` with load warnings (near-duplicates of cut-up seeds) silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def scored(articles, out, **options) -> ScoreSummary:
    """`score_corpus` of `articles` into `out`, warnings silenced."""
    return quietly(score_corpus, [str(a) for a in articles], out, **options)


def table_bytes(out) -> dict[str, bytes]:
    """The bytes of each CSV in `out/tables`."""
    return {path.name: path.read_bytes() for path in sorted((out / "tables").glob("*.csv"))}


@pytest.fixture(scope="module")
def pieces(tmp_path_factory):
    """Fourteen short articles cut from the seeds (three or four paragraphs each, with an id header): a corpus
    large enough to compare many articles without ../shared."""
    folder = tmp_path_factory.mktemp("pieces")
    number = 0
    for seed in sorted(config.SEEDS.glob("*.txt")):
        paragraphs = [p for p in seed.read_text(encoding="utf-8").split("\n\n") if len(p.split()) > 3]
        for start in range(0, len(paragraphs), 3):
            number += 1
            text = "\n\n".join(paragraphs[start:start + 3])
            (folder / f"piece{number:02d}.txt").write_text(f"id: piece-{number:02d}\n\n{text}\n", encoding="utf-8")
    return sorted(folder.glob("*.txt"))


# --- the same tables as the study --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_score(tmp_path_factory):
    """Output folder of `score` on the seeds (serial)."""
    out = tmp_path_factory.mktemp("seed-score") / "out"
    scored([config.SEEDS / "*.txt"], out, jobs=1)
    return out


def test_score_tables_for_the_seeds_equal_the_committed_study_tables(seed_score):
    for name in ("articles", "sentences", "quotes", "tfidf_terms", "keyness", "similarity"):
        committed = config.ROOT / "tables" / f"{name}.csv"
        assert (seed_score / "tables" / f"{name}.csv").read_bytes() == committed.read_bytes(), name


def study_tables(articles, out):
    """Write the tables the notebooks write (their functions, `tables.write_table`) for `articles` to `out`."""
    corpus = quietly(load_corpus, [str(a) for a in articles])
    quotes = find_quotes(corpus.sentences)
    tables = dict(articles=articles_table(corpus), sentences=sentences_table(corpus, quotes), quotes=quotes,
                  tfidf_terms=tfidf_table(corpus.sentences), keyness=keyness_table(corpus.sentences),
                  similarity=cosine_similarities(corpus.sentences))
    for name, table in tables.items():
        write_table(table, name, out)


def test_score_tables_equal_the_notebook_functions_tables_for_many_articles(pieces, tmp_path):
    scored(pieces, tmp_path / "score", jobs=2)
    study_tables(pieces, tmp_path / "study")
    assert table_bytes(tmp_path / "score") == table_bytes(tmp_path / "study")
    assert set(table_bytes(tmp_path / "score")) == {f"{name}.csv" for name in TABLES}


def test_a_parallel_run_writes_the_same_bytes_as_a_serial_run(pieces, tmp_path, monkeypatch):
    monkeypatch.setattr(score, "CHUNK", 3)
    monkeypatch.setattr(score, "TFIDF_BLOCK", 4)
    monkeypatch.setattr(score, "LARGE_CORPUS", 5)  # the compact tables, computed in parallel too
    one, two = scored(pieces, tmp_path / "one", jobs=1), scored(pieces, tmp_path / "two", jobs=2)
    assert table_bytes(tmp_path / "one") == table_bytes(tmp_path / "two")
    assert (one.articles, one.sentences) == (two.articles, two.sentences) == (len(pieces), 49)


def test_a_corpus_of_one_article_has_an_empty_keyness_table_and_only_self_similarity(tmp_path):
    summary = scored([config.SEEDS / "000_fc00426c0e321901.txt"], tmp_path / "out", jobs=1)
    written = table_bytes(tmp_path / "out")
    assert set(written) == {"articles.csv", "sentences.csv", "quotes.csv", "tfidf_terms.csv", "keyness.csv",
                            "similarity.csv"}
    assert written["keyness.csv"].decode().count("\n") == 1  # the header alone
    assert written["similarity.csv"].decode() == "article_a,article_b,cosine\nmar17,mar17,1.0\n"
    assert "one article" in summary.notes[0]


def test_duplicates_are_dropped_and_repeated_ids_made_unique_as_the_study_does(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    seed = (config.SEEDS / "003_1cf98623268c0c16.txt").read_text(encoding="utf-8")
    (folder / "a.txt").write_text("id: same\n\n" + seed, encoding="utf-8")
    (folder / "b.txt").write_text("id: other\n\n" + seed, encoding="utf-8")  # same text: dropped
    (folder / "c.txt").write_text("id: same\n\nA different story about talks. It is short.\n", encoding="utf-8")
    summary = scored([folder], tmp_path / "out", jobs=2)
    articles = pd.read_csv(tmp_path / "out" / "tables" / "articles.csv")
    assert list(articles["article_id"]) == ["same", "same-2"] and summary.files == 3 and summary.articles == 2
    assert any("b.txt: same text as" in note and "dropped as a duplicate" in note for note in summary.warnings)
    corpus = quietly(load_corpus, [str(folder)])
    assert list(articles["article_id"]) == list(corpus.articles["article_id"])
    renamed = [note for note in summary.warnings if "is an earlier article's too" in note]
    assert renamed == [f"{folder / 'c.txt'}: id 'same' is an earlier article's too; this article is 'same-2' in the "
                       "tables"] == [note for note in corpus.warnings if "is an earlier article's too" in note]
    assert set(pd.read_csv(tmp_path / "out" / "tables" / "sentences.csv")["article_id"]) == {"same", "same-2"}


# --- large corpora: compact keyness and similarity ---------------------------------------------------------------

def test_compact_tables_are_the_top_rows_of_the_full_tables(pieces, tmp_path, monkeypatch):
    monkeypatch.setattr(score, "LARGE_CORPUS", 5)
    monkeypatch.setattr(score, "TOP_KEYWORDS", 4)
    summary = scored(pieces, tmp_path / "out", jobs=1)
    assert "keyness.csv holds each article's 4 strongest key terms" in summary.notes[0]
    keyness = pd.read_csv(tmp_path / "out" / "tables" / "keyness.csv", keep_default_na=False)
    full = pd.read_csv(tmp_path / "out" / "tables" / "keyness.csv", nrows=0)  # same columns as the study's
    corpus = quietly(load_corpus, [str(p) for p in pieces])
    complete = keyness_table(corpus.sentences)
    assert list(full.columns) == list(complete.columns)
    key = complete[(complete["direction"] == "target") & (complete["count_target"] > 0)]
    key = key.sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    expected = sort_by_article(key.groupby(["article_id", "ngram"], sort=False).head(4),
                               list(corpus.articles["article_id"]), ["g2", "term"], [False, True])
    pd.testing.assert_frame_equal(keyness, expected.reset_index(drop=True), check_exact=False, rtol=1e-12,
                                  check_dtype=False)
    similar = pd.read_csv(tmp_path / "out" / "tables" / "similarity.csv")
    assert list(similar.columns) == ["article_a", "rank", "article_b", "cosine"]
    assert (similar.groupby("article_a").size() == score.TOP_SIMILAR).all()


def test_top_keyness_equals_the_full_table_rows_exactly(pieces):
    corpus = quietly(load_corpus, [str(p) for p in pieces])
    model = tfidf_model(corpus_terms(corpus.sentences))
    full = keyness_from_counts(model.article_counts())
    key = full[(full["direction"] == "target") & (full["count_target"] > 0)]
    key = key.sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    expected = sort_by_article(key.groupby(["article_id", "ngram"], sort=False).head(6), model.article_ids,
                               ["g2", "term"], [False, True])
    pd.testing.assert_frame_equal(keyness_top(model, top=6), expected, check_exact=True)


def test_the_pool_s_most_similar_table_lists_the_largest_cosines_of_the_full_matrix(pieces):
    corpus = quietly(load_corpus, [str(p) for p in pieces])
    model = tfidf_model(corpus_terms(corpus.sentences))
    weights, n = model.weights(), len(model.article_ids)
    score.install({"weights": weights, "transposed": weights.T.tocsr()})
    try:
        top = score.most_similar_table([score.similar_block(start, min(start + 2, n)) for start in range(0, n, 2)],
                                       model.article_ids)
    finally:
        score.install({})
    full = cosine_table(dense_vectors(model))
    for article_id, rows in top.groupby("article_a", sort=False):
        others = full[(full["article_a"] == article_id) & (full["article_b"] != article_id)]
        best = others.sort_values("cosine", ascending=False, kind="stable").head(score.TOP_SIMILAR)
        assert list(rows["article_b"]) == list(best["article_b"])
        assert list(rows["rank"]) == list(range(1, len(best) + 1))
        assert np.allclose(rows["cosine"], best["cosine"], rtol=0, atol=1e-12)


@pytest.mark.parametrize("block", [1, 4, 7, 40])
def test_the_pool_s_similarity_blocks_give_most_similar_bit_for_bit(block):
    """Blocks of rows multiplied with the articles from their first on (each pair of articles once) give the same
    table as the tests' reference (`most_similar`) over the whole matrix: ties (copied rows) broken alike, an
    article sharing no term left out."""
    from tests.test_similarity import most_similar, tied_weights
    weights, ids = tied_weights(), [f"a{i}" for i in range(40)]
    score.install({"weights": weights, "transposed": weights.T.tocsr()})
    try:
        found = score.most_similar_table([score.similar_block(start, min(start + block, 40))
                                          for start in range(0, 40, block)], ids)
    finally:
        score.install({})
    pd.testing.assert_frame_equal(found, most_similar(weights, ids, k=score.TOP_SIMILAR), check_exact=True)
    assert len(found) == 39 * score.TOP_SIMILAR


# --- incremental reruns -----------------------------------------------------------------------------------------

def test_adding_one_article_rescores_only_that_article(pieces, tmp_path, monkeypatch):
    loaded = []  # runs whose workers are forked with the pipeline loaded (`score.preload`): those that score a file
    monkeypatch.setattr(score, "preload", loaded.append)
    folder = tmp_path / "articles"
    folder.mkdir()
    for piece in pieces[:-1]:
        shutil.copy(piece, folder)
    first = scored([folder], tmp_path / "out", jobs=2)
    assert (first.scored, first.cached) == (len(pieces) - 1, 0)
    shutil.copy(pieces[-1], folder)
    second = scored([folder], tmp_path / "out", jobs=2)
    assert (second.scored, second.cached) == (1, len(pieces) - 1)
    third = scored([folder], tmp_path / "out", jobs=2)
    assert (third.scored, third.cached) == (0, len(pieces))
    assert loaded == (["study"] * 2 if multiprocessing.get_start_method() == "fork" else [])
    scored([folder], tmp_path / "fresh", jobs=1)
    assert table_bytes(tmp_path / "out") == table_bytes(tmp_path / "fresh")


def test_a_changed_article_is_rescored_and_a_removed_one_stays_in_the_cache_for_a_rerun_naming_it(pieces, tmp_path):
    folder, out = tmp_path / "articles", tmp_path / "out"
    folder.mkdir()
    for piece in pieces[:4]:
        shutil.copy(piece, folder)
    scored([folder], out, jobs=1)
    changed = folder / pieces[0].name
    original = changed.read_text(encoding="utf-8")
    changed.write_text(original + "\nA new closing line was added.\n", encoding="utf-8")
    (folder / pieces[1].name).unlink()
    summary = scored([folder], out, jobs=1)
    assert (summary.scored, summary.cached) == (1, 2)
    assert len(list((out / "cache").glob("*/*.pkl"))) == 5  # nothing an earlier run scored is removed
    assert pd.read_csv(out / "tables" / "articles.csv")["article_id"].tolist() == [
        "piece-01", "piece-03", "piece-04"]  # the tables are this run's articles
    shutil.copy(pieces[1], folder)
    changed.write_text(original, encoding="utf-8")
    back = scored([folder], out, jobs=1)
    assert (back.scored, back.cached) == (0, 4)
    scored([folder], tmp_path / "fresh", jobs=1)
    assert table_bytes(out) == table_bytes(tmp_path / "fresh")


def test_a_run_lists_its_files_once(monkeypatch, tmp_path):
    from analysis import __main__, engine
    listed = []
    def counted(patterns):
        listed.append(patterns)
        return expand_paths(patterns)
    monkeypatch.setattr(engine, "expand_paths", counted)
    monkeypatch.setattr(score, "expand_paths", counted)
    assert __main__.main(["score", "--articles", str(config.SEEDS / "*.txt"), "--out", str(tmp_path / "out"),
                          "--jobs", "1"]) == 0
    assert len(listed) == 1
    class Started(Exception):
        """Raised where the Dask run would start its cluster, once its files are listed and partitioned."""
    def started(*args):
        raise Started
    monkeypatch.setattr(engine, "DASK_ABOVE", 1)  # the seeds' two files go to Dask
    monkeypatch.setattr(engine, "connect", started)
    with pytest.raises(Started):
        __main__.main(["score", "--articles", str(config.SEEDS / "*.txt"), "--out", str(tmp_path / "dask")])
    assert len(listed) == 2


def test_changing_any_file_of_the_package_changes_the_cache_version(tmp_path):
    package = tmp_path / "analysis"
    shutil.copytree(score.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    versions = {score.package_digest(package)}
    assert score.package_digest(score.PACKAGE) in versions  # the same files give the same hash
    for name in sorted(p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()):
        path = package / name
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        versions.add(score.package_digest(package))
        path.write_bytes(original)
    (package / "plots" / "new.py").write_text("")
    versions.add(score.package_digest(package))
    files = sum(1 for p in score.PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert len(versions) == files + 2 and files > 25  # every module, plot module and data file counts


def test_a_chunk_is_parsed_in_one_batch_and_scored_as_one_file_at_a_time(pieces, tmp_path, monkeypatch):
    batches, prefetched = [], score.prefetched
    monkeypatch.setattr(score, "prefetched", lambda texts: prefetched(batches.append(list(texts)) or batches[-1]))
    chunk = [(path, None) for path in pieces[:6]]
    (tmp_path / "cache").mkdir()
    found = [pickle.loads(data) for data, cached in score.score_chunk(chunk, tmp_path / "cache")]
    alone = [score.score_file(path, None) for path, _ in chunk]
    assert len(batches) == 1 and batches[0] == [t for path, _ in chunk for t, _ in parse_requests(sentence_rows(
        load_article(path, None)))] and len(batches[0]) > 0
    assert [(s.article, s.lines, s.statistics) for s in found] == [(s.article, s.lines, s.statistics) for s in alone]
    again = score.score_chunk(chunk, tmp_path / "cache")
    assert all(cached for _, cached in again) and batches[-1] == []  # all from the cache: nothing parsed


def test_bad_input_in_a_chunk_is_raised_after_the_files_before_it_are_scored(pieces, tmp_path):
    (tmp_path / "cache").mkdir()
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(InputError, match="empty.txt: the file is empty"):
        score.score_chunk([(pieces[0], None), (tmp_path / "empty.txt", None), (pieces[1], None)], tmp_path / "cache")
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [score.cache_entry(pieces[0], None, tmp_path).name]


def test_a_damaged_cache_entry_is_scored_again(pieces, tmp_path):
    first = scored(pieces[:3], tmp_path / "out", jobs=1)
    entries = sorted((tmp_path / "out" / "cache").glob("*/*.pkl"))
    assert first.scored == 3 and len(entries) == 3
    entries[0].write_bytes(b"not a pickle")
    entries[1].write_bytes(entries[1].read_bytes()[:1000])  # cut short, as by an interrupted run
    again = scored(pieces[:3], tmp_path / "out", jobs=2)
    assert (again.scored, again.cached) == (2, 1)
    scored(pieces[:3], tmp_path / "fresh", jobs=1)
    assert table_bytes(tmp_path / "out") == table_bytes(tmp_path / "fresh")


def test_the_dictionary_coder_changes_only_the_frames_and_the_model_columns(pieces, tmp_path):
    study = scored(pieces, tmp_path / "study", jobs=1)
    dictionary = scored(pieces, tmp_path / "dictionary", jobs=2, coder="dictionary")
    assert (dictionary.articles, dictionary.sentences) == (study.articles, study.sentences)
    both = table_bytes(tmp_path / "study"), table_bytes(tmp_path / "dictionary")
    assert {name: data for name, data in both[0].items() if name != "sentences.csv"} == \
        {name: data for name, data in both[1].items() if name != "sentences.csv"}
    read = [pd.read_csv(tmp_path / run / "tables" / "sentences.csv", keep_default_na=False)
            for run in ("study", "dictionary")]
    others = [c for c in read[0].columns if c not in ("frames", "frame_model")]
    pd.testing.assert_frame_equal(read[0][others], read[1][others])
    ids = [f.id for f in load_frames()]
    assert list(read[1]["frames"]) == [";".join(f for f in ids if f in parse_evidence(e))
                                       for e in read[1]["frame_evidence"]]
    assert set(read[1]["frame_model"]) == {""}
    learned = 0  # frames the study coding adds to the dictionary's: the model's, each with its probability
    for frames, model, alone in zip(read[0]["frames"], read[0]["frame_model"], read[1]["frames"]):
        for frame in set(filter(None, frames.split(";"))) - set(alone.split(";")):
            learned += 1
            assert frame in parse_model_evidence(model)
    assert learned > 0
    again = scored(pieces, tmp_path / "study", jobs=1, coder="dictionary")  # the study run's cache is not used
    assert again.scored == len(pieces) and table_bytes(tmp_path / "study") == both[1]


# --- the command line and bad input ------------------------------------------------------------------------------

def cli(*args, cwd=config.ROOT):
    """Run `python -m analysis ARGS`; return the completed process (text output)."""
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=600)


def test_the_command_writes_the_tables_a_marker_and_a_summary(tmp_path):
    done = cli("score", "--articles", "seeds/*.txt", "--out", tmp_path / "out", cwd=config.ROOT)
    assert done.returncode == 0, done.stderr
    assert "done: 2 articles, 49 sentences (2 scored anew, 0 from the cache)" in done.stdout
    total, scoring, tables = map(float, re.search(r"in ([\d.]+) s \(scoring ([\d.]+) s, corpus-wide tables "
                                                  r"([\d.]+) s\)", done.stdout).groups())
    assert 0 < scoring + tables <= total + 0.1
    assert (tmp_path / "out" / MARKER).exists() and set(table_bytes(tmp_path / "out")) == {
        f"{name}.csv" for name in TABLES}


@pytest.mark.parametrize("args, problem", [
    (["--articles", "no/such/file.txt"], "no such file"),
    (["--articles", "seeds/*.nothing"], "matches no files"),
    (["--articles", "seeds/*.txt", "--jobs", "0"], "at least one process"),
])
def test_bad_input_gives_one_line_and_exit_status_2(tmp_path, args, problem):
    done = cli("score", *args, "--out", tmp_path / "out")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("error: ") and problem in done.stderr and done.stderr.count("\n") == 1


def test_an_unreadable_article_fails_with_one_line_and_leaves_earlier_tables(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(config.SEEDS / "000_fc00426c0e321901.txt", folder)
    assert cli("score", "--articles", folder, "--out", tmp_path / "out").returncode == 0
    before = table_bytes(tmp_path / "out")
    (folder / "empty.txt").write_bytes(b"")
    done = cli("score", "--articles", folder, "--out", tmp_path / "out")
    assert done.returncode == 2 and "empty.txt: the file is empty" in done.stderr and done.stderr.count("\n") == 1
    assert table_bytes(tmp_path / "out") == before


def test_a_folder_the_user_filled_or_the_repository_is_never_written(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("my own notes\n")
    done = cli("score", "--articles", "seeds/*.txt", "--out", mine)
    assert done.returncode == 2 and "not written by a study run" in done.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    done = cli("score", "--articles", "seeds/*.txt", "--out", config.ROOT)
    assert done.returncode == 2 and "outside the repository root" in done.stderr


# --- optimized functions give exactly the plain results -----------------------------------------------------------

def test_tfidf_from_counts_equals_scikit_learns_vectorizer(seed_corpus):
    from functools import partial

    from sklearn.feature_extraction.text import TfidfVectorizer

    from analysis.vocabulary import article_documents, document_terms, tfidf_matrix
    documents = list(article_documents(seed_corpus.sentences))
    for unit, fitted in (("article", documents), ("sentence", [[t] for t in seed_corpus.sentences["tokens"]])):
        vectorizer = TfidfVectorizer(analyzer=partial(document_terms, ngram_range=(1, 2))).fit(fitted)
        expected = vectorizer.transform(documents).toarray()
        found = tfidf_matrix(seed_corpus.sentences, unit=unit)
        assert list(found.columns) == list(vectorizer.get_feature_names_out())
        assert np.array_equal(found.to_numpy(), expected)


def test_near_duplicate_warnings_equal_the_pairwise_jaccard_definition(pieces, tmp_path):
    from analysis.corpus import load_article, near_duplicate_warnings, shingles
    articles = [load_article(p) for p in pieces]
    longest = max(pieces, key=lambda p: len(p.read_text(encoding="utf-8")))
    twin = tmp_path / "twin.txt"  # a near-copy of the longest piece: one sentence added
    twin.write_text(longest.read_text(encoding="utf-8") + "\nThe talks went on for hours.\n", encoding="utf-8")
    articles.append(load_article(twin))
    sets = [shingles(" ".join(block for _, _, block in a.paragraphs)) for a in articles]
    for threshold in (0.0, 0.05, 0.8):
        expected = [(i, j) for i in range(len(sets)) for j in range(i + 1, len(sets))
                    if len(sets[i] | sets[j]) and len(sets[i] & sets[j]) / len(sets[i] | sets[j]) >= threshold]
        found = near_duplicate_warnings(articles, threshold)
        assert len(found) == len(expected)
        assert all(f"{articles[j].path}: near-duplicate of {articles[i].path} " in note
                   for note, (i, j) in zip(found, expected))
    assert len(near_duplicate_warnings(articles)) == 1

