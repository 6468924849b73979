"""Descriptive statistics per article: size, sentence length, lexical diversity, shared vocabulary.

Counts use word tokens (`text.words`: punctuation dropped, case kept); types are distinct lower-cased word tokens.
`article_statistics` gives the statistics columns of `tables/articles.csv` (`pipeline.articles_table`).
"""
from __future__ import annotations

import statistics
from itertools import combinations

import pandas as pd

from analysis.text import words

MATTR_WINDOW = 50  # tokens per window of the moving-average type-token ratio


def type_token_ratio(tokens: list[str]) -> float:
    """Distinct tokens divided by tokens (0.0 for no tokens)."""
    return len(set(tokens)) / len(tokens) if tokens else 0.0


def mattr(tokens: list[str], window: int = 50) -> float:
    """Moving-average type-token ratio (Covington & McFall 2010): the mean TTR of every window of `window`
    consecutive tokens; the plain TTR when there are fewer tokens than `window`."""
    if len(tokens) <= window:
        return type_token_ratio(tokens)
    counts: dict[str, int] = {}
    for token in tokens[:window]:
        counts[token] = counts.get(token, 0) + 1
    total = len(counts)
    for i in range(window, len(tokens)):
        new, old = tokens[i], tokens[i - window]
        counts[new] = counts.get(new, 0) + 1
        counts[old] -= 1
        if counts[old] == 0:
            del counts[old]
        total += len(counts)
    return total / (len(tokens) - window + 1) / window


def article_statistics(sentence_words: list[list[str]], *, window: int = MATTR_WINDOW) -> dict:
    """Statistics of one article from its sentences' word tokens (`text.words` of each sentence's tokens):
    tokens, types (distinct lower-cased), mean and median sentence length (word tokens), TTR and MATTR over
    `window` tokens (all computed on the lower-cased word tokens)."""
    lengths = [len(w) for w in sentence_words]
    lowered = [w.lower() for found in sentence_words for w in found]
    return dict(tokens=len(lowered), types=len(set(lowered)), mean_sentence_length=sum(lengths) / len(lengths),
                median_sentence_length=float(statistics.median(lengths)), ttr=type_token_ratio(lowered),
                mattr=mattr(lowered, window))


def sentence_lengths(sentences: pd.DataFrame) -> pd.DataFrame:
    """Long table of sentence lengths: article_id, sentence_index, kind, words (word tokens per sentence)."""
    table = sentences[["article_id", "sentence_index", "kind"]].copy()
    table["words"] = sentences["tokens"].map(lambda t: len(words(t)))
    return table


def term_frequencies(sentences: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The `top` most frequent terms (term view) per article: article_id, term, count, rank; ties broken
    alphabetically so the order is reproducible."""
    rows = []
    for article_id, group in sentences.groupby("article_id", sort=False):
        counts = pd.Series([t for ts in group["terms"] for t in ts], dtype=str).value_counts()
        table = counts.rename_axis("term").reset_index(name="count")
        table = table.sort_values(["count", "term"], ascending=[False, True]).head(top)
        rows.append(table.assign(article_id=article_id, rank=range(1, len(table) + 1)))
    return pd.concat(rows, ignore_index=True)[["article_id", "rank", "term", "count"]]


def vocabulary_overlap(sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per pair of articles: terms in each, terms shared, and Jaccard overlap (shared / union)."""
    vocab = {a: set(t for ts in g["terms"] for t in ts) for a, g in sentences.groupby("article_id", sort=False)}
    rows = [dict(article_a=a, article_b=b, terms_a=len(vocab[a]), terms_b=len(vocab[b]),
                 shared=len(vocab[a] & vocab[b]), jaccard=len(vocab[a] & vocab[b]) / len(vocab[a] | vocab[b]))
            for a, b in combinations(vocab, 2)]
    return pd.DataFrame(rows, columns=["article_a", "article_b", "terms_a", "terms_b", "shared", "jaccard"])
