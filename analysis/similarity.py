"""How alike the articles are: cosine similarity of TF-IDF vectors, and passages they share word for word.

Shared passages are found with word shingles (Broder 1997): every run of `k` consecutive lower-cased word tokens
(punctuation dropped, sentence boundaries ignored) of one article is looked up in another; overlapping matching
shingles on the same alignment are merged into one maximal passage. Reused wire copy shows up this way.
"""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import numpy as np
import pandas as pd

from analysis.text import detokenize, is_word, paired_quotes
from analysis.vocabulary import Unit, tfidf_matrix

PASSAGE_COLUMNS = ["article_a", "sentence_first_a", "sentence_last_a", "article_b", "sentence_first_b",
                   "sentence_last_b", "words", "text"]
TOP_COLUMNS = ["article_a", "rank", "article_b", "cosine"]


def cosine_similarities(sentences: pd.DataFrame, *, unit: Unit = "article",
                        ngram_range: tuple[int, int] = (1, 2)) -> pd.DataFrame:
    """Cosine similarity of every ordered pair of articles (the diagonal included, 1.0): article_a, article_b,
    cosine, from the TF-IDF vectors of `vocabulary.tfidf_matrix` (terms of `ngram_range`, idf learnt per `unit`).
    0 = no term in common, 1 = the same term proportions."""
    return cosine_table(tfidf_matrix(sentences, unit=unit, ngram_range=ngram_range))


def cosine_table(vectors: pd.DataFrame) -> pd.DataFrame:
    """Cosine similarity of every ordered pair of rows of `vectors` (articles × terms, rows of unit length):
    article_a, article_b, cosine."""
    matrix = pd.DataFrame(vectors.values @ vectors.values.T, index=vectors.index, columns=vectors.index)
    long = matrix.rename_axis(index="article_a", columns="article_b").stack().rename("cosine").reset_index()
    return long.assign(cosine=long["cosine"].clip(upper=1.0))


def block_candidates(cosines: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) positions of the cosines of a dense block (articles × other articles) that may be among their
    row's `k` largest: those at least the row's k-th largest and above 0 (0: no term in common, not listed).
    `best_per_article` then breaks the ties."""
    if cosines.shape[1] > k:
        kth = np.partition(cosines, cosines.shape[1] - k, axis=1)[:, cosines.shape[1] - k]
        return np.nonzero((cosines >= kth[:, None]) & (cosines > 0))
    return np.nonzero(cosines > 0)


def mutual_candidates(cosines: np.ndarray, k: int, own: int) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Both ways of one product of two blocks of articles, each pair multiplied once (a cosine is the same number
    either way round: the same products summed in term order). `cosines`: the dense block (articles of the first
    block × articles of the second), whose first `own` columns are the first block's own articles in the same
    order (their diagonal, each article with itself, is zeroed here: an article is not among its own most
    similar). Gives the `block_candidates` (row, column) of each row among all the columns, and (column, row) of
    each column after the first `own` among the rows."""
    square = np.arange(own)
    cosines[square, square] = 0.0
    columns, rows = block_candidates(cosines[:, own:].T, k)
    return block_candidates(cosines, k), (columns + own, rows)


def best_per_article(a: np.ndarray, b: np.ndarray, cosine: np.ndarray, k: int) -> np.ndarray:
    """Positions of the `k` best of the candidate (article `a`, other article `b`, cosine) triples of each article
    (e.g. the `block_candidates` of several blocks of other articles), in order of article, then decreasing
    cosine, ties by corpus order (the same choice as taking each article's `k` largest cosines over all the
    candidates' columns at once)."""
    order = np.lexsort((b, -cosine, a))
    first = a[order]
    return order[np.arange(len(order)) - np.searchsorted(first, first) < k]


def ranked_table(a: np.ndarray, article_a: np.ndarray, article_b: np.ndarray, cosine: np.ndarray) -> pd.DataFrame:
    """The table of each article's most similar articles (article_a, rank, article_b, cosine) from (article, other
    article, cosine) rows sorted by article (its corpus position `a`) and decreasing cosine: each article's rows
    ranked 1, 2, ... (1 = most similar); cosines above 1 (rounding) shown as 1."""
    rank = np.arange(len(a)) - np.searchsorted(a, a) + 1
    return pd.DataFrame({"article_a": article_a, "rank": rank, "article_b": article_b,
                         "cosine": np.minimum(cosine, 1.0)}, columns=TOP_COLUMNS)


def article_words(group: pd.DataFrame) -> pd.DataFrame:
    """One article's word tokens in order: word (lower-cased), sentence_index, and sentence token position, for
    rebuilding the original text of a passage."""
    rows = [dict(word=t.lower(), sentence_index=s.sentence_index, token=i)
            for s in group.itertuples() for i, t in enumerate(s.tokens) if is_word(t)]
    return pd.DataFrame(rows, columns=["word", "sentence_index", "token"])


def shingles(words: list[str], k: int) -> dict[tuple[str, ...], list[int]]:
    """Start positions of every `k`-word shingle of `words`."""
    starts = defaultdict(list)
    for i in range(len(words) - k + 1):
        starts[tuple(words[i:i + k])].append(i)
    return starts


def matching_runs(words_a: list[str], words_b: list[str], k: int) -> list[tuple[int, int, int]]:
    """Maximal shared passages of two word lists as (start in a, start in b, length in words), sorted: shingles of
    `k` words found in both, merged while they follow each other on the same alignment; a passage lying inside a
    longer one in both lists (a phrase repeated within each article) is dropped."""
    in_b = shingles(words_b, k)
    hits = sorted((i - j, i, j) for i in range(len(words_a) - k + 1) for j in in_b.get(tuple(words_a[i:i + k]), []))
    runs: list[list[int]] = []
    for offset, i, j in hits:
        if runs and runs[-1][0] - runs[-1][1] == offset and runs[-1][0] + runs[-1][2] - k + 1 == i:
            runs[-1][2] += 1
        else:
            runs.append([i, j, k])
    merged = [tuple(run) for run in runs]
    return sorted(run for run in merged if not any(inside(run, other) for other in merged if other != run))


def inside(run: tuple[int, int, int], other) -> bool:
    """True if passage `run` (start in a, start in b, length) lies within passage `other` in both word lists."""
    (i, j, n), (i2, j2, n2) = run, other
    return i2 <= i and i + n <= i2 + n2 and j2 <= j and j + n <= j2 + n2


def passage_text(group: pd.DataFrame, located: pd.DataFrame) -> str:
    """Original text (punctuation kept) of the words `located` (rows of `article_words`) of one article."""
    tokens = group.set_index("sentence_index")["tokens"]
    first, last = located.iloc[0], located.iloc[-1]
    pieces = []
    for index in range(first["sentence_index"], last["sentence_index"] + 1):
        start = first["token"] if index == first["sentence_index"] else 0
        stop = last["token"] + 1 if index == last["sentence_index"] else len(tokens[index])
        pieces.append(detokenize(paired_quotes(tokens[index])[start:stop]))
    return " ".join(pieces)


def shared_passages(sentences: pd.DataFrame, *, k: int = 8) -> pd.DataFrame:
    """Passages of at least `k` words that two articles share word for word (lower-cased word tokens): one row per
    maximal passage and pair of articles, with the sentence span in each (article_a, sentence_first_a,
    sentence_last_a, article_b, ...), its length in words and its text as written in article_a."""
    groups = dict(tuple(sentences.groupby("article_id", sort=False)))
    located = {a: article_words(g) for a, g in groups.items()}
    rows = []
    for a, b in combinations(groups, 2):
        for i, j, length in matching_runs(list(located[a]["word"]), list(located[b]["word"]), k):
            span_a, span_b = located[a].iloc[i:i + length], located[b].iloc[j:j + length]
            rows.append(dict(article_a=a, sentence_first_a=span_a["sentence_index"].iloc[0],
                             sentence_last_a=span_a["sentence_index"].iloc[-1], article_b=b,
                             sentence_first_b=span_b["sentence_index"].iloc[0],
                             sentence_last_b=span_b["sentence_index"].iloc[-1], words=length,
                             text=passage_text(groups[a], span_a)))
    return pd.DataFrame(rows, columns=PASSAGE_COLUMNS)
