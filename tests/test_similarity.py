"""Cosine similarity and shared passages, on constructed articles."""
import math

import pandas as pd
import pytest

from analysis.similarity import cosine_similarities, matching_runs, shared_passages
from analysis.text import terms, word_tokens


def sentences_table(articles: dict[str, list[str]]) -> pd.DataFrame:
    rows = [dict(article_id=a, sentence_index=i, tokens=word_tokens(s), terms=terms(word_tokens(s)))
            for a, texts in articles.items() for i, s in enumerate(texts, start=1)]
    return pd.DataFrame(rows)


WIRE = ("Russian forces have been trying to take the city for months. "
        "Western strategists say it would be a pyrrhic victory.")
ARTICLES = {
    "p": ["Our own opening line is here.", "Russian forces have been trying to take the city for months.",
          "Western strategists say it would be a pyrrhic victory.", "A closing remark."],
    "q": ["A different start entirely.", "Officials said so on Monday.",
          "Russian forces have been trying to take the city for months.",
          "Western strategists say it would be a pyrrhic victory."],
    "r": ["Nothing in common with the others at all, not a single long run of words."],
}


def test_cosine_similarity_by_hand():
    table = cosine_similarities(sentences_table({"x": ["war war peace"], "y": ["war talks"], "z": ["ceasefire"]}),
                                ngram_range=(1, 1))
    cos = table.set_index(["article_a", "article_b"])["cosine"]
    rare = math.log(4 / 2) + 1  # idf of a term in one of three documents; war (in two) has ln(4/3)+1
    war = math.log(4 / 3) + 1
    x, y = (2 * war, rare, 0.0), (war, 0.0, rare)  # over (war, peace, talks)
    expected = sum(a * b for a, b in zip(x, y)) / (math.hypot(*x) * math.hypot(*y))
    assert cos[("x", "y")] == pytest.approx(expected) and cos[("y", "x")] == pytest.approx(expected)
    assert cos[("x", "z")] == 0.0 and cos[("x", "x")] == pytest.approx(1.0)
    assert len(table) == 9


def test_shared_passage_is_found_merged_and_located():
    passages = shared_passages(sentences_table(ARTICLES))
    assert len(passages) == 1
    row = passages.iloc[0]
    assert (row.article_a, row.sentence_first_a, row.sentence_last_a) == ("p", 2, 3)
    assert (row.article_b, row.sentence_first_b, row.sentence_last_b) == ("q", 3, 4)
    assert row.words == 20  # 11 + 9 words, one maximal passage across the sentence boundary
    assert row.text == WIRE.rstrip(".")  # from its first to its last word, punctuation between kept


def test_passages_shorter_than_the_shingle_are_ignored():
    articles = {"p": ["one two three four five six seven alpha"], "q": ["beta one two three four five six seven"]}
    assert shared_passages(sentences_table(articles), k=8).empty
    found = shared_passages(sentences_table(articles), k=7)
    assert list(found["words"]) == [7] and found["text"].iloc[0] == "one two three four five six seven"


def test_two_separate_passages_stay_separate():
    # shared runs "a b c d" and "w x y z" (k=3) separated by different words
    runs = matching_runs(list("abcdQwxyz"), list("abcdRRwxyz"), 3)
    assert runs == [(0, 0, 4), (5, 6, 4)]


def test_one_article_has_no_pairs():
    assert shared_passages(sentences_table({"p": ARTICLES["p"]})).empty


def test_repeated_phrase_inside_a_longer_passage_is_not_listed_again():
    # "p q r" occurs twice in both lists; the whole list is shared, so only the full-length passage is kept
    words = list("pqrxpqry")
    assert matching_runs(words, words, 3) == [(0, 0, 8)]
    assert matching_runs(list("pqrxpqr"), list("pqrz"), 3) == [(0, 0, 3), (4, 0, 3)]
