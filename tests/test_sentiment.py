"""Sentiment: VADER scores (against vaderSentiment itself, its published examples and hand computation),
summaries, arcs, group tables built from hand-made frame / speaker / actor tables, and the second lexicon."""
import math
import subprocess
import sys

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis import config, sentiment
from analysis.plots import sentiment as plots
from analysis.sentiment import (NARRATION, NO_FRAME, actor_sentences, article_sentiment,
                                correlations, disagreements, extremes, frame_sentences, lexicon_agreement,
                                lexicon_scores, polarity, ranked_groups, score_sentences, scored_sentences,
                                sentiment_arc, speaker_sentences, summarise, textblob_polarity)
from tests.conftest import benchmark_module, shared_path

# Output printed in the vaderSentiment README ("Output for the above example code"), compound scores.
# Left out: the emoji example and the pos/neu shares of "At least it isn't a horrible book.", which the README
# printed before the 3.3 releases changed emoji handling and the "least" rule.
README_COMPOUND = {
    "VADER is smart, handsome, and funny.": 0.8316,
    "VADER is smart, handsome, and funny!": 0.8439,
    "VADER is very smart, handsome, and funny.": 0.8545,
    "VADER is VERY SMART, handsome, and FUNNY.": 0.9227,
    "VADER is VERY SMART, handsome, and FUNNY!!!": 0.9342,
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!": 0.9469,
    "VADER is not smart, handsome, nor funny.": -0.7424,
    "The book was good.": 0.4404,
    "At least it isn't a horrible book.": 0.431,
    "The book was only kind of good.": 0.3832,
    "The plot was good, but the characters are uncompelling and the dialog is not great.": -0.7042,
    "Today SUX!": -0.5461,
    "Today only kinda sux! But I'll get by, lol": 0.5249,
    "Make sure you :) or :D today!": 0.8633,
    "Not bad at all": 0.431,
}


def vader_norm(total: float) -> float:
    """VADER's normalization of a summed valence: x / sqrt(x^2 + 15)."""
    return total / math.sqrt(total * total + 15)


def sentences(rows):
    """Minimal sentences table from (article_id, text) pairs, numbered in order within each article."""
    table = pd.DataFrame(rows, columns=["article_id", "text"])
    table["sentence_index"] = table.groupby("article_id").cumcount() + 1
    table["kind"] = "body"
    return table


def scored(rows):
    """Scored-sentences-like table from (article_id, compound) pairs, numbered in order within each article."""
    table = pd.DataFrame(rows, columns=["article_id", "compound"])
    table["sentence_index"] = table.groupby("article_id").cumcount() + 1
    return table.assign(kind="body", text="", polarity=polarity(table["compound"]))


# --- VADER scores -----------------------------------------------------------------------------------------------

def test_scores_equal_vadersentiment_analyzer(seed_corpus):
    texts = list(seed_corpus.sentences["text"]) + list(README_COMPOUND)
    analyzer = SentimentIntensityAnalyzer()
    expected = pd.DataFrame([analyzer.polarity_scores(t) for t in texts])[["neg", "neu", "pos", "compound"]]
    pd.testing.assert_frame_equal(score_sentences(texts), expected)


def test_published_readme_examples():
    compound = score_sentences(list(README_COMPOUND))["compound"]
    assert list(compound) == list(README_COMPOUND.values())


def test_scores_by_hand():
    # 'good' has valence 1.9 in vader_lexicon.txt; a word found adds valence + 1 to its class, others 1 to neutral.
    good, exclaimed, negated, shouted = score_sentences(
        ["The book was good.", "The book was good!", "The book was not good.", "The book was GOOD."]).itertuples()
    assert good.compound == round(vader_norm(1.9), 4) == 0.4404
    assert (good.pos, good.neu) == (round(2.9 / 5.9, 3), round(3 / 5.9, 3))
    assert exclaimed.compound == round(vader_norm(1.9 + 0.292), 4)  # one '!' adds 0.292
    assert negated.compound == round(vader_norm(1.9 * -0.74), 4)  # 'not' within 3 words multiplies by -0.74
    assert negated.neg == round(2.406 / 6.406, 3)
    assert shouted.compound == round(vader_norm(1.9 + 0.733), 4)  # ALL CAPS in mixed-case text adds 0.733


def test_raw_text_is_scored_unchanged():
    raw, lowered = score_sentences(["This is VERY BAD!!!", "this is very bad"])["compound"]
    assert raw < lowered < 0  # capitals and '!' intensify; preprocessing would lose them


def test_score_sentences_keeps_series_index():
    texts = pd.Series(["Good.", "Bad."], index=[10, 7])
    table = score_sentences(texts)
    assert list(table.index) == [10, 7] and list(table.columns) == ["neg", "neu", "pos", "compound"]
    assert list(score_sentences(["Good.", "Bad."]).index) == [0, 1]
    assert score_sentences([]).shape == (0, 4)


def test_polarity_thresholds():
    classes = polarity(pd.Series([0.05, 0.0499, -0.0499, -0.05, 0.0]))
    assert list(classes) == ["positive", "neutral", "neutral", "negative", "neutral"]


def test_scored_sentences_keeps_index_and_adds_scores():
    table = scored_sentences(sentences([("a", "The book was good."), ("a", "The book was not good.")]))
    assert list(table["compound"]) == [0.4404, -0.3412]
    assert list(table["polarity"]) == ["positive", "negative"]


# --- summaries --------------------------------------------------------------------------------------------------

def test_summarise_by_hand():
    row = summarise(pd.Series([0.5, -0.5, 0.0, 0.05]))
    assert (row["n"], row["mean"], row["median"]) == (4, pytest.approx(0.0125), pytest.approx(0.025))
    assert (row["negative"], row["neutral"], row["positive"]) == (0.25, 0.25, 0.5)
    assert row["small"]


def test_article_sentiment_per_article_in_corpus_order():
    table = article_sentiment(scored([("b", 0.5), ("b", -0.2), ("a", 0.0)]))
    assert list(table["article_id"]) == ["b", "a"] and list(table["n"]) == [2, 1]
    assert table.loc[0, "mean"] == pytest.approx(0.15)
    assert math.isnan(table.loc[1, "ci_low"])


def test_extremes_picks_each_sentence_once():
    table = extremes(scored([("a", 0.1), ("a", -0.9), ("a", 0.8), ("b", 0.2)]), k=1)
    assert list(zip(table["article_id"], table["sentence_index"])) == [("a", 2), ("a", 3), ("b", 1)]


def test_sentiment_arc_rolling_mean_by_hand():
    table = scored([("b", 9.0), ("a", 1.0), ("a", 0.0), ("a", -1.0), ("a", 0.5)]).iloc[::-1]
    arc = sentiment_arc(table, window=3)
    assert list(arc["article_id"]) == ["a"] * 4 + ["b"] and list(arc["sentence_index"]) == [1, 2, 3, 4, 1]
    # centred windows of 3, fewer at the ends: (1+0)/2, (1+0-1)/3, (0-1+0.5)/3, (-1+0.5)/2
    assert list(arc["rolling"]) == pytest.approx([0.5, 0.0, -1 / 6, -0.25, 9.0])


# --- groups: hand-made frame, speaker and actor tables ----------------------------------------------------------

def test_frame_sentences_one_row_per_frame():
    table = scored([("a", 0.5), ("a", -0.5), ("a", 0.0)])
    frames = pd.DataFrame({"frames": ["conflict;diplomacy", "", "conflict"], "frame_evidence": ""})
    long = frame_sentences(table, frames)
    assert list(zip(long["sentence_index"], long["frame"])) == [(1, "conflict"), (1, "diplomacy"), (2, NO_FRAME),
                                                                (3, "conflict")]
    summary = ranked_groups(long, "frame").set_index("frame")
    assert summary.loc["conflict", "n"] == 2 and summary.loc["conflict", "mean"] == 0.25
    assert list(summary.index) == ["conflict", "diplomacy", NO_FRAME]  # largest first, ties by name
    ordered = ranked_groups(long, "frame", order=["diplomacy", "conflict"])
    assert list(ordered["frame"]) == ["diplomacy", "conflict", NO_FRAME]  # listed first, then the rest


def test_group_tables_refuse_misaligned_input():
    with pytest.raises(ValueError, match="not aligned"):
        frame_sentences(scored([("a", 0.1)]), pd.DataFrame({"frames": ["x"]}, index=[5]))


def test_speaker_sentences_marks_narration():
    long = speaker_sentences(scored([("a", 0.5), ("a", -0.5)]), pd.Series(["", "Qin Gang"]))
    assert list(long["speaker"]) == [NARRATION, "Qin Gang"] and list(long["voice"]) == ["narration", "quoted"]


def test_actor_sentences_counts_a_sentence_once_per_actor():
    mentions = pd.DataFrame([("a", 1, "China", "China"), ("a", 1, "China", "Beijing"), ("a", 2, "Russia", "Moscow"),
                             ("b", 1, "China", "Beijing")], columns=["article_id", "sentence_index", "actor", "alias"])
    long = actor_sentences(scored([("a", 0.4), ("a", -0.6), ("b", 0.2)]), mentions)
    summary = ranked_groups(long, "actor").set_index("actor")
    assert summary.loc["China", "n"] == 2 and summary.loc["China", "articles"] == 2
    assert summary.loc["China", "mean"] == pytest.approx(0.3) and summary.loc["Russia", "mean"] == -0.6


# --- second lexicon ---------------------------------------------------------------------------------------------

def test_textblob_polarity_by_hand():
    # pattern's en-sentiment.xml rates both senses of 'good' (JJ) at polarity 0.7.
    assert list(textblob_polarity(pd.Series(["The book was good."], index=[3]))) == [0.7]


def test_textblob_needs_no_nltk_data(tmp_path):
    code = ("import nltk, sys; nltk.data.path[:] = [sys.argv[1]]; "
            "from analysis.sentiment import textblob_polarity; print(textblob_polarity(['The book was good.'])[0])")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                            cwd=config.ROOT, env={"NLTK_DATA": str(tmp_path), "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0.7"


def test_correlations_by_hand():
    x = pd.Series([1.0, 2.0, 3.0, 4.0])
    assert correlations(x, 2 * x + 1)["pearson"] == pytest.approx(1.0)
    assert correlations(x, x ** 3)["spearman"] == pytest.approx(1.0)
    assert correlations(x, -x)["spearman"] == pytest.approx(-1.0)
    assert math.isnan(correlations(x, pd.Series([0.0] * 4))["pearson"])
    assert math.isnan(correlations(x[:2], x[:2])["spearman"])


def test_lexicon_agreement_and_disagreements():
    table = sentences([("a", "The book was good."), ("a", "Today SUX!"), ("b", "Not bad at all")])
    lexicons = lexicon_scores(scored_sentences(table))
    agreement = lexicon_agreement(lexicons)
    assert list(agreement["article_id"]) == ["all", "a", "b"] and list(agreement["n"]) == [3, 2, 1]
    worst = disagreements(lexicons, top=2)
    assert list(worst["rank"]) == [1, 2] and worst["difference"].is_monotonic_decreasing
    assert worst.loc[0, "difference"] == pytest.approx(abs(worst.loc[0, "vader"] - worst.loc[0, "textblob"]))


# --- charts (structure, on the seeds and on one article) ----------------------------------------------------------

def test_charts_show_n_and_one_panel_per_article(seed_corpus):
    table = scored_sentences(seed_corpus.sentences)
    labels = dict(zip(seed_corpus.articles["article_id"], seed_corpus.articles["label"]))
    summary = article_sentiment(table)
    fig = plots.plot_sentence_scores(table, summary, labels)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == ["17 March\nn = 19", "7 March\nn = 30"]
    arcs = plots.plot_arcs(sentiment_arc(table), labels, window=sentiment.WINDOW)
    assert sum(ax.get_visible() for ax in arcs.axes) == 2
    one = plots.plot_arcs(sentiment_arc(table[table["article_id"] == "mar17"]), {"mar17": "17 March"}, window=5)
    assert len(one.axes) == 1
    plt.close("all")


# --- the validity benchmark -------------------------------------------------------------------------------------

def benchmark():
    """The benchmarks/vader_validity.py module."""
    return benchmark_module("vader_validity")


def test_benchmark_reproduces_nyt_correlation():
    data = shared_path("data", "vader_groundtruth")
    row = benchmark().evaluate("nyt_editorials", data)
    assert row["n"] == 5190
    assert 0.49 <= row["pearson_r"] <= 0.51  # paper 0.492; vaderSentiment 3.3.2 gives 0.503
    assert row["f1"] == pytest.approx(0.55, abs=0.02)  # paper Table 4: F1 0.55


def test_benchmark_exits_cleanly_without_data(tmp_path, capsys):
    assert benchmark().main(["--data", str(tmp_path / "absent"), "--out", str(tmp_path / "r.csv")]) == 0
    assert "not found" in capsys.readouterr().out and not (tmp_path / "r.csv").exists()
