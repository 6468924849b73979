"""Descriptive statistics, checked against hand computation."""
import pandas as pd
import pytest

from analysis.describe import (article_statistics, mattr, sentence_lengths, term_frequencies, type_token_ratio,
                               vocabulary_overlap)
from analysis.text import words


def table(rows):
    """Sentence table with tokens and terms from (article_id, tokens) pairs."""
    return pd.DataFrame([dict(article_id=a, sentence_index=i + 1, kind="body", tokens=t, terms=[w.lower() for w in t])
                         for i, (a, t) in enumerate(rows)])


def test_type_token_ratio():
    assert type_token_ratio(["a", "b", "a", "c"]) == 0.75
    assert type_token_ratio([]) == 0.0


def test_mattr_averages_window_ttrs():
    # windows of 3 over a b a c c: (a b a) 2/3, (b a c) 3/3, (a c c) 2/3 → mean 7/9
    assert mattr(list("abacc"), window=3) == pytest.approx(7 / 9)
    assert mattr(list("abac"), window=10) == 0.75  # shorter than the window: plain TTR


def test_article_statistics_by_hand():
    x = article_statistics([words(["The", "war", ","]), words(["the", "war", "ends", "."])], window=2)
    assert (x["tokens"], x["types"]) == (5, 3)  # the war the war ends (punctuation dropped)
    assert x["mean_sentence_length"] == 2.5 and x["median_sentence_length"] == 2.5 and x["ttr"] == 0.6
    # windows of 2: (the war) (war the) (the war) (war ends) → all 2 distinct → 1.0
    assert x["mattr"] == 1.0


def test_sentence_lengths_count_words_not_punctuation():
    assert list(sentence_lengths(table([("x", ["A", "b", "."])]))["words"]) == [2]


def test_term_frequencies_rank_ties_alphabetically():
    top = term_frequencies(table([("x", ["b", "a", "b", "c", "a"])]), top=2)
    assert list(top["term"]) == ["a", "b"] and list(top["count"]) == [2, 2] and list(top["rank"]) == [1, 2]


def test_vocabulary_overlap_is_jaccard():
    overlap = vocabulary_overlap(table([("x", ["a", "b", "c"]), ("y", ["b", "c", "d", "e"])]))
    row = overlap.iloc[0]
    assert (row.shared, row.terms_a, row.terms_b) == (2, 3, 4) and row.jaccard == pytest.approx(2 / 5)


def test_vocabulary_overlap_of_one_article_is_empty():
    assert vocabulary_overlap(table([("x", ["a"])])).empty
