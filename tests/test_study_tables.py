"""Properties the tables of a whole study run must have, for any set of articles (they were the notebooks' closing
`checks()` cells): each `check_*` function takes a run's output folder and asserts on the tables and figures it
wrote. Here they run on the seed study; tests/test_realworld.py runs them on other article sets."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis.config import figures_dir, tables_dir
from analysis.figures import figure_entries
from analysis.findings import all_findings, read_tables
from analysis.frames import load_frames
from analysis.stats import RESAMPLES
from analysis.tables import read_table


def table(out: Path, name: str) -> pd.DataFrame:
    """Table `name` of the run in `out` (an empty table if the run did not write it)."""
    return read_table(name, out) if (tables_dir(out) / f"{name}.csv").exists() else pd.DataFrame()


def check_corpus(out: Path) -> None:
    """01_corpus: unique ids, sentences numbered 1..n, clean non-empty text, sentence counts, MATTR in (0, 1]."""
    articles, sentences = table(out, "articles"), table(out, "sentences")
    assert articles["article_id"].is_unique
    numbered = sentences.groupby("article_id")["sentence_index"].apply(lambda s: list(s) == list(range(1, len(s) + 1)))
    assert numbered.all()
    assert (sentences["text"].str.strip() == sentences["text"]).all() and (sentences["text"] != "").all()
    assert not sentences["text"].str.contains("Estimated reading time|More in Top Stories").any()
    counts = sentences.groupby("article_id", sort=False).size()
    assert (articles["sentences"] == articles["article_id"].map(counts)).all()
    assert ((articles["mattr"] > 0) & (articles["mattr"] <= 1)).all()


def check_vocabulary(out: Path) -> None:
    """02_vocabulary: unit TF-IDF vectors; G² recomputed from each keyness row's counts; q >= p; the count floor;
    symmetric similarity; passages of at least 8 words; each concordance line shows its query."""
    tfidf, keyness, kwic = table(out, "tfidf_terms"), table(out, "keyness"), table(out, "concordance")
    norms = tfidf.groupby("article_id")["tfidf"].apply(lambda w: math.sqrt((w ** 2).sum()))
    assert ((norms - 1).abs() < 1e-9).all(), "each article's TF-IDF vector has unit length"
    assert set(tfidf["article_id"]) == set(table(out, "articles")["article_id"])
    if len(keyness):
        a, b, c, d = (keyness[k] for k in ("count_target", "count_reference", "total_target", "total_reference"))
        e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
        log = (lambda x: math.log(x) if x > 0 else 0)
        g2 = 2 * (a * (a / e1).map(log) + b * (b / e2).map(log))
        assert ((keyness["g2"] - g2).abs() < 1e-9).all(), "G² recomputes from the counts in each row"
        assert (keyness["p_adjusted"] >= keyness["p_value"] - 1e-12).all()
        assert ((a + b) >= keyness["min_count"]).all()
    similarity = table(out, "similarity")
    if len(similarity):
        matrix = similarity.pivot(index="article_a", columns="article_b", values="cosine")
        assert ((matrix - matrix.T).abs() < 1e-12).all().all(), "cosine similarity is symmetric"
    passages = table(out, "shared_passages")
    assert passages.empty or (passages["words"] >= 8).all()
    for query, match in zip(kwic.get("query", []), kwic.get("match", [])):
        assert match.lower().startswith(query.lower().rstrip("*")), "each concordance line shows its query"


def check_framing(out: Path) -> None:
    """03_framing: known frames, dictionary or model evidence exactly where frames are, shares in [0, 1] inside
    their intervals, permutation p-values in [1/(R+1), 1], scare quotes unattributed, speakers from the quotes
    table, mention counts."""
    sentences, shares, tests = table(out, "sentences"), table(out, "frame_shares"), table(out, "frame_tests")
    quotes, counts, mentions = table(out, "quotes"), table(out, "actor_counts"), table(out, "actor_mentions")
    found = sentences["frames"].str.split(";").explode()
    assert set(found[found != ""]) <= {f.id for f in load_frames()}
    decided = (sentences["frame_evidence"] != "") | (sentences["frame_model"] != "")
    assert ((sentences["frames"] != "") == decided).all()
    assert shares["sentence_share"].between(0, 1).all() and shares["token_share"].between(0, 1).all()
    bounded = shares[shares["sentence_low"] != ""].astype({"sentence_low": float, "sentence_high": float})
    assert (bounded["sentence_low"] <= bounded["sentence_share"] + 1e-12).all()
    assert (bounded["sentence_share"] <= bounded["sentence_high"] + 1e-12).all()
    assert tests.empty or tests["p_value"].between(1 / (RESAMPLES + 1) - 1e-15, 1).all()  # tables: 12 digits
    assert (quotes.loc[quotes["kind"] == "scare", "speaker"] == "").all()
    assert (quotes["first_sentence"] <= quotes["last_sentence"]).all()
    assert set(sentences["speaker"]) - {""} <= set(quotes["speaker"])
    assert counts["mentions"].sum() == len(mentions)


def check_sentiment(out: Path) -> None:
    """04_sentiment: scores are vaderSentiment's, in [-1, 1]; one summary row per article; class shares sum to 1;
    intervals bracket the mean; every sentence in the frame, voice and lexicon tables; sentences per frame as in
    the frame shares."""
    sentences, articles = table(out, "sentences"), table(out, "sentiment_articles")
    first = sentences["text"].iloc[0]
    assert sentences["compound"].iloc[0] == SentimentIntensityAnalyzer().polarity_scores(first)["compound"]
    assert sentences["compound"].between(-1, 1).all()
    assert list(articles["article_id"]) == list(table(out, "articles")["article_id"])
    assert articles["n"].sum() == len(sentences)
    assert ((articles[["negative", "neutral", "positive"]].sum(axis=1) - 1).abs() < 1e-9).all()
    big = articles[articles["n"] >= 2]
    assert ((big["ci_low"] <= big["mean"]) & (big["mean"] <= big["ci_high"])).all()
    assert table(out, "sentiment_frames")["n"].sum() >= len(sentences)  # every sentence has a frame or NO_FRAME
    by_frame = table(out, "sentiment_frames").set_index("frame")["n"]  # the same coding as chapter 3's shares
    shares = table(out, "frame_shares").groupby("frame")["frame_sentences"].sum()
    assert all(by_frame.get(frame, 0) == count for frame, count in shares.items())
    assert table(out, "sentiment_voices")["n"].sum() == len(sentences)
    assert table(out, "sentiment_lexicon_agreement")["n"].iloc[0] == len(sentences)


def check_findings(out: Path) -> None:
    """05_findings: six findings with text (seven for a grouped run), frame shares for every article, every indexed
    figure saved."""
    tables = read_tables(out)
    findings = all_findings(tables)
    grouped = (tables_dir(out) / "groups.csv").exists()
    assert len(findings) == 6 + grouped and all(f.text.strip() for f in findings)
    assert set(tables["frame_shares"]["article_id"]) == set(tables["articles"]["article_id"])
    assert all((figures_dir(out) / f"{name}.png").exists() for name in figure_entries(out)["name"])


CHECKS = (check_corpus, check_vocabulary, check_framing, check_sentiment, check_findings)


def check_study(out: Path) -> None:
    """Every chapter's checks on the run in `out`."""
    for check in CHECKS:
        check(out)


def test_the_seed_study_tables_have_every_property(study_run):
    check_study(study_run)


def test_the_seed_study_names_invisible_hand_a_key_phrase_of_7_march(study_run):
    keyness = table(study_run, "keyness")
    phrases = keyness[(keyness["ngram"] == 2) & (keyness["direction"] == "target") & (keyness["article_id"] == "mar07")]
    assert "invisible hand" in set(phrases.sort_values(["g2", "term"], ascending=[False, True]).head(10)["term"])
