"""Cosine similarity and shared passages, on constructed articles."""
import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.plots.vocabulary import plot_similarity_heatmap
from analysis.similarity import TOP_COLUMNS, cosine_similarities, matching_runs, mutual_candidates, shared_passages
from analysis.text import terms, word_tokens
from tests.conftest import colliding_tick_labels


def sentences_table(articles: dict[str, list[str]]) -> pd.DataFrame:
    rows = [dict(article_id=a, sentence_index=i, tokens=word_tokens(s), terms=terms(word_tokens(s)))
            for a, texts in articles.items() for i, s in enumerate(texts, start=1)]
    return pd.DataFrame(rows)


def most_similar(weights, article_ids: list[str], *, k: int = 5) -> pd.DataFrame:
    """The tests' reference for the table of most similar articles, from the whole articles × articles product
    (`weights`: articles × terms, rows of unit length), article by article: the `k` largest cosines with the
    other articles, itself excluded and 0 (no term in common) not listed, ties by corpus order; article_a, rank,
    article_b, cosine (at most 1)."""
    product = (weights @ weights.T).toarray()
    rows = []
    for a, cosines in enumerate(product):
        others = sorted((-cosine, b) for b, cosine in enumerate(cosines.tolist()) if b != a and cosine > 0)
        rows += [(article_ids[a], rank, article_ids[b], min(-cosine, 1.0))
                 for rank, (cosine, b) in enumerate(others[:k], start=1)]
    return pd.DataFrame(rows, columns=TOP_COLUMNS)


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


@pytest.mark.parametrize("n", [2, 3, 4, 7, 15])
def test_similarity_heat_map_labels_never_collide_and_stay_inside_the_figure(n):
    ids = [f"article_{k}" for k in range(n)]
    labels = {a: f"cnn_2023-03-{k:02d}_a_long_file_name_{k}" for k, a in enumerate(ids)}
    table = pd.DataFrame([dict(article_a=a, article_b=b, cosine=1.0 if a == b else 0.1 + 0.01 * (i + j))
                          for i, a in enumerate(ids) for j, b in enumerate(ids)])
    fig = plot_similarity_heatmap(table, ids, labels)
    assert colliding_tick_labels(fig) == []
    renderer = fig.canvas.get_renderer()
    figure_box = fig.bbox
    for text in [ax.xaxis.label for ax in fig.axes] + [ax.yaxis.label for ax in fig.axes]:
        if text.get_text():
            box = text.get_window_extent(renderer)
            assert figure_box.x0 - 1 <= box.x0 and box.x1 <= figure_box.x1 + 1, text.get_text()
            assert figure_box.y0 - 1 <= box.y0 and box.y1 <= figure_box.y1 + 1, text.get_text()
    plt.close(fig)


def tied_weights(seed: int = 5, n: int = 40, terms: int = 30):
    """Unit-length, non-negative sparse TF-IDF-like rows with exact ties: rows 10-14 copy rows 0-4 (so other
    articles' cosines with a row and its copy are the same number) and row 39 shares no term with any other."""
    import numpy as np
    from scipy import sparse
    from sklearn.preprocessing import normalize
    draw = np.random.default_rng(seed)
    dense = draw.random((n, terms)) * (draw.random((n, terms)) < 0.25)
    dense[10:15] = dense[0:5]
    dense[:, terms - 1] = 0.0
    dense[n - 1] = 0.0
    dense[n - 1, terms - 1] = 1.0
    dense[(dense.sum(axis=1) == 0), 0] = 1.0
    return normalize(sparse.csr_array(dense), norm="l2")


@pytest.mark.parametrize("block", [1, 3, 7, 40])
def test_blocked_candidates_give_the_same_top_k_as_most_similar(block):
    import numpy as np
    from analysis.similarity import best_per_article, block_candidates
    weights = tied_weights()
    ids = [f"a{i}" for i in range(weights.shape[0])]
    found = []
    for start in range(0, weights.shape[0], block):
        cosines = (weights @ weights[start:start + block].T.tocsr()).toarray()
        cosines[np.arange(start, min(start + block, weights.shape[0])), np.arange(cosines.shape[1])] = 0.0
        rows, columns = block_candidates(cosines, 3)
        found.append((rows, columns + start, cosines[rows, columns]))
    a, b, cosine = (np.concatenate(column) for column in zip(*found))
    kept = best_per_article(a, b, cosine, 3)
    expected = most_similar(weights, ids, k=3)
    assert list(zip(np.array(ids)[a[kept]], np.array(ids)[b[kept]])) == list(zip(expected["article_a"],
                                                                             expected["article_b"]))
    assert np.array_equal(np.minimum(cosine[kept], 1.0), expected["cosine"].to_numpy())  # the same, bit for bit
    assert "a39" not in set(expected["article_a"])  # no term in common with any other: not listed
    assert len(expected) == 3 * 39


def test_mutual_candidates_zero_the_diagonal_and_read_the_later_columns_both_ways():
    import numpy as np
    cosines = np.array([[1.0, 0.2, 0.5, 0.0, 0.3],   # articles 0, 1 (rows) × 0, 1, and later articles 2, 3, 4
                        [0.2, 1.0, 0.1, 0.4, 0.3]])
    (rows, columns), (others, among) = mutual_candidates(cosines, 1, 2)
    assert cosines[0, 0] == cosines[1, 1] == 0.0
    assert list(zip(rows, columns)) == [(0, 2), (1, 3)]  # each row's largest among all five columns
    assert list(zip(others, among)) == [(2, 0), (3, 1), (4, 0), (4, 1)]  # each later column's largest row (a tie)
