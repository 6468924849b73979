"""Vocabulary compared across articles: TF-IDF weights and keyness (log-likelihood, Log Ratio, Fightin' Words).

Everything here is computed on the study's term view (`analysis.text.terms`: word tokens lower-cased, stop words,
clitics and punctuation dropped) — the text is preprocessed for these statistics. A *term* is a unigram or a
bigram; a bigram is two tokens that stand next to each other in one sentence and are both terms, so "invisible
hand", "peace talks" and "qin gang" are terms, while "protraction and escalation" gives no bigram (the stop word
"and" stands between). Bigrams never cross a sentence boundary.

Keyness compares each article (the *target*) with all the other articles together (the *reference*): one-vs-rest,
which with two articles is the ordinary pairwise comparison. Counts and totals are counts of terms of the same
length (unigram totals for unigrams, bigram totals for bigrams).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import erfc, xlogy
from sklearn.preprocessing import normalize

from analysis.stats import benjamini_hochberg
from analysis.text import term

Unit = Literal["article", "sentence"]
Measure = Literal["ll2", "ll4"]
TFIDF_COLUMNS = ["article_id", "term", "ngram", "count", "idf", "tfidf", "idf_sentence", "tfidf_sentence"]
KEYNESS_COLUMNS = ["article_id", "ngram", "term", "count_target", "count_reference", "total_target",
                   "total_reference", "min_count", "measure", "g2", "log_ratio", "prior", "prior_total",
                   "z_fightin", "p_value", "p_adjusted", "direction"]


# --- terms -------------------------------------------------------------------------------------------------------

def term_ngrams(tokens: list[str], n: int) -> list[str]:
    """Terms of `n` words in one sentence's word tokens: runs of `n` adjacent tokens that are all terms in the
    study's term view (`text.terms`), lower-cased and joined by a space. n=1 gives `text.terms(tokens)`."""
    return sentence_terms(tokens, (n, n))


def sentence_terms(tokens: list[str], ngram_range: tuple[int, int] = (1, 2)) -> list[str]:
    """Every term of one sentence's word tokens, unigrams to n-grams of `ngram_range` (see `term_ngrams`),
    shortest terms first."""
    kept = [term(token) for token in tokens]
    found = [t for t in kept if t is not None] if ngram_range[0] == 1 else []
    for n in range(max(ngram_range[0], 2), ngram_range[1] + 1):
        found += [" ".join(gram) for gram in zip(*(kept[i:] for i in range(n))) if None not in gram]
    return found


def document_terms(sentences: list[list[str]], ngram_range: tuple[int, int] = (1, 2)) -> list[str]:
    """Every term (unigrams to n-grams of `ngram_range`) of a document given as a list of sentences' word tokens,
    sentence by sentence, shortest terms first."""
    return [gram for tokens in sentences for gram in sentence_terms(tokens, ngram_range)]


def article_documents(sentences: pd.DataFrame) -> pd.Series:
    """Each article as a document: a Series indexed by article_id (corpus order) of lists of sentence tokens."""
    return sentences.groupby("article_id", sort=False)["tokens"].agg(list)


@dataclass
class TermCounts:
    """One article's terms (unigrams to n-grams): occurrences of each term, the number of the article's sentences
    using it, and the article's number of sentences. Corpus-wide statistics (TF-IDF, keyness) are computed from
    these alone, so they can be recomputed from cached counts."""

    counts: Counter
    sentence_counts: Counter
    sentences: int


def article_terms(sentences: list[list[str]], ngram_range: tuple[int, int] = (1, 2)) -> TermCounts:
    """`TermCounts` of one article given as a list of its sentences' word tokens."""
    counts, used = Counter(), Counter()
    for tokens in sentences:
        grams = sentence_terms(tokens, ngram_range)
        counts.update(grams)
        used.update(set(grams))
    return TermCounts(counts, used, len(sentences))


def corpus_terms(sentences: pd.DataFrame, ngram_range: tuple[int, int] = (1, 2)) -> dict[str, TermCounts]:
    """`TermCounts` of each article of a sentences table (with a `tokens` column), in corpus order."""
    return {a: article_terms(doc, ngram_range) for a, doc in article_documents(sentences).items()}


def ngram_length(term_: str) -> int:
    """Number of words in a term."""
    return term_.count(" ") + 1


def ngram_lengths(terms_) -> np.ndarray:
    """`ngram_length` of each of `terms_`, as integers."""
    return np.fromiter((ngram_length(t) for t in terms_), dtype=np.int64, count=len(terms_))


def count_table(counts: dict[str, Counter], *, ngram: int) -> pd.DataFrame:
    """Counts of `ngram`-word terms from each article's term counts: a terms × articles table of integers (columns
    in the order of `counts`, rows sorted by term)."""
    chosen = {a: {t: c for t, c in counter.items() if ngram_length(t) == ngram} for a, counter in counts.items()}
    return pd.DataFrame(chosen, dtype=float).fillna(0).astype(int).sort_index()


def term_counts(sentences: pd.DataFrame, *, ngram: int = 1) -> pd.DataFrame:
    """Counts of `ngram`-word terms: a terms × articles table of integers (columns in corpus order, rows sorted)."""
    return count_table({a: t.counts for a, t in corpus_terms(sentences, (ngram, ngram)).items()}, ngram=ngram)


# --- TF-IDF ------------------------------------------------------------------------------------------------------
# The weights are scikit-learn's TfidfVectorizer defaults, computed from term counts with the same floating-point
# operations as its TfidfTransformer (so the numbers are identical): raw counts as tf, smoothed
# idf(t) = ln((1 + n) / (1 + df(t))) + 1 for n documents, rows scaled to unit length (L2).

@dataclass
class EncodedTerms:
    """One article's `TermCounts` as arrays over a shared vocabulary (`encode_terms`): term ids, counts, sentences
    using each term, and the article's number of sentences. Compact enough to keep for 10,000 articles."""

    ids: np.ndarray
    counts: np.ndarray
    sentence_counts: np.ndarray
    sentences: int


def encode_terms(terms_: TermCounts, vocabulary: dict[str, int]) -> EncodedTerms:
    """`terms_` as arrays; terms new to `vocabulary` (term → id) are added to it with the next free ids."""
    n = len(terms_.counts)
    for t in terms_.counts:
        if t not in vocabulary:
            vocabulary[t] = len(vocabulary)
    return EncodedTerms(np.fromiter(map(vocabulary.__getitem__, terms_.counts), np.int32, n),
                        np.fromiter(terms_.counts.values(), np.int32, n),
                        np.fromiter(map(terms_.sentence_counts.__getitem__, terms_.counts), np.int32, n),
                        terms_.sentences)


def count_matrix(rows: list[np.ndarray], values: list[np.ndarray], columns: int) -> sparse.csr_array:
    """Sparse documents × terms matrix (float64, column indices sorted) from each document's term columns and
    values."""
    indptr = np.cumsum([0] + [len(r) for r in rows])
    matrix = sparse.csr_array((np.concatenate(values + [np.empty(0)]).astype(np.float64),
                               np.concatenate(rows + [np.empty(0, np.int64)]), indptr), shape=(len(rows), columns))
    matrix.sort_indices()
    return matrix


def smoothed_idf(document_frequency: np.ndarray, documents: int) -> np.ndarray:
    """Smoothed idf of each term, ln((1 + n) / (1 + df)) + 1 for `documents` n, with scikit-learn's operations."""
    df = np.asarray(document_frequency, dtype=np.float64) + 1.0
    idf = np.full_like(df, fill_value=documents + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    return idf


def tfidf_weights(counts: sparse.csr_array, idf: np.ndarray) -> sparse.csr_array:
    """TF-IDF weights: each count times its term's idf, each row scaled to unit length (L2)."""
    weights = counts.copy()
    weights.data *= idf[weights.indices]
    return normalize(weights, norm="l2", copy=False)


@dataclass
class TfidfModel:
    """TF-IDF of a corpus from its articles' term counts: article ids, the sorted vocabulary (terms), the articles
    × terms count matrix, the idf of each term with articles and with sentences as documents, and each term's
    number of words (`lengths`)."""

    article_ids: list[str]
    terms: np.ndarray
    counts: sparse.csr_array
    idf: dict[str, np.ndarray]

    @cached_property
    def lengths(self) -> np.ndarray:
        """Each term's number of words (`ngram_length`), computed on first use (or assigned, when the vocabulary
        is shared by many models and its lengths computed once, `analysis.engine`)."""
        return ngram_lengths(self.terms)

    def weights(self, unit: Unit = "article") -> sparse.csr_array:
        """The articles' TF-IDF vectors (rows, unit length) with idf learnt per `unit`."""
        return tfidf_weights(self.counts, self.idf[unit])

    def article_counts(self) -> dict[str, Counter]:
        """Each article's term counts (`TermCounts.counts`, terms in sorted order)."""
        return {a: Counter(dict(zip(self.terms[self.counts.indices[i:j]], self.counts.data[i:j].astype(int))))
                for a, i, j in zip(self.article_ids, self.counts.indptr[:-1], self.counts.indptr[1:])}


def encoded_model(article_ids: list[str], vocabulary: dict[str, int], encoded: list[EncodedTerms]) -> TfidfModel:
    """`TfidfModel` of the articles `article_ids` from their `EncodedTerms` over `vocabulary` (term → id)."""
    terms_ = np.array(list(vocabulary), dtype=object)
    order = np.argsort(terms_)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    columns = [rank[e.ids] for e in encoded]
    counts = count_matrix(columns, [e.counts for e in encoded], len(order))
    used = count_matrix(columns, [e.sentence_counts for e in encoded], len(order))
    idf = {"article": smoothed_idf(np.bincount(counts.indices, minlength=len(order)), len(encoded)),
           "sentence": smoothed_idf(np.bincount(used.indices, weights=used.data, minlength=len(order)),
                                    sum(e.sentences for e in encoded))}
    return TfidfModel(list(article_ids), terms_[order], counts, idf)


def tfidf_model(terms_: dict[str, TermCounts]) -> TfidfModel:
    """`TfidfModel` of the articles whose `TermCounts` are given (corpus order)."""
    vocabulary: dict[str, int] = {}
    encoded = [encode_terms(t, vocabulary) for t in terms_.values()]
    return encoded_model(list(terms_), vocabulary, encoded)


def tfidf_matrix(sentences: pd.DataFrame, *, unit: Unit = "article",
                 ngram_range: tuple[int, int] = (1, 2)) -> pd.DataFrame:
    """TF-IDF vectors of the articles (rows, corpus order) over terms (columns), idf learnt per `unit`; each row
    has unit length (L2), so the dot product of two rows is their cosine similarity."""
    return dense_vectors(tfidf_model(corpus_terms(sentences, ngram_range)), unit)


def dense_vectors(model: TfidfModel, unit: Unit = "article") -> pd.DataFrame:
    """The model's TF-IDF vectors as a dense articles × terms table."""
    return pd.DataFrame(model.weights(unit).toarray(), index=pd.Index(model.article_ids, name="article_id"),
                        columns=list(model.terms))


def tfidf_arrays(model: TfidfModel, rows: slice = slice(None)) -> dict[str, np.ndarray]:
    """The rows of `tables/tfidf_terms.csv` for the articles `rows` of `model`, sorted (article, tfidf descending,
    term), as arrays: article (row in the model), column (term), count, tfidf and tfidf_sentence."""
    counts = model.counts[rows]
    weights = {unit: tfidf_weights(counts, model.idf[unit]) for unit in ("article", "sentence")}
    article = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr)) + (rows.start or 0)
    order = np.lexsort((counts.indices, -weights["article"].data, article))
    return dict(article=article[order], column=counts.indices[order], count=counts.data[order].astype(np.int64),
                tfidf=weights["article"].data[order], tfidf_sentence=weights["sentence"].data[order])


def tfidf_rows(model: TfidfModel) -> pd.DataFrame:
    """`tables/tfidf_terms.csv` rows of the articles of `model` (see `tfidf_table`), sorted."""
    found = tfidf_arrays(model)
    column, names = found["column"], model.terms[found["column"]]
    return pd.DataFrame({
        "article_id": np.array(model.article_ids, dtype=object)[found["article"]], "term": names,
        "ngram": model.lengths[column], "count": found["count"], "idf": model.idf["article"][column],
        "tfidf": found["tfidf"], "idf_sentence": model.idf["sentence"][column],
        "tfidf_sentence": found["tfidf_sentence"]}, columns=TFIDF_COLUMNS)


def tfidf_table(sentences: pd.DataFrame, *, ngram_range: tuple[int, int] = (1, 2)) -> pd.DataFrame:
    """`tables/tfidf_terms.csv`: per article and term, the count, idf and tfidf with articles as documents, and
    idf_sentence and tfidf_sentence with sentences as documents (the article's counts weighted by how few
    sentences of the whole corpus use the term). Sorted by article (corpus order), tfidf descending, term."""
    return tfidf_rows(tfidf_model(corpus_terms(sentences, ngram_range)))


def sort_by_article(table: pd.DataFrame, article_ids, by: list[str], ascending: list[bool]) -> pd.DataFrame:
    """`table` sorted by article in the order of `article_ids`, then by the columns `by`; index reset."""
    order = {a: i for i, a in enumerate(pd.unique(pd.Series(article_ids)))}
    table = table.assign(_order=table["article_id"].map(order))
    table = table.sort_values(["_order", *by], ascending=[True, *ascending], kind="stable")
    return table.drop(columns="_order").reset_index(drop=True)


def top_terms(table: pd.DataFrame, column: str, *, top: int = 10) -> pd.DataFrame:
    """The `top` rows per article with the largest `column` (ties by term, alphabetically), with a rank."""
    ranked = table.sort_values([column, "term"], ascending=[False, True], kind="stable")
    ranked = ranked.groupby("article_id", sort=False).head(top)
    ranked = ranked.assign(rank=ranked.groupby("article_id").cumcount() + 1)
    return sort_by_article(ranked, table["article_id"], ["rank"], [True])


# --- keyness statistics (vectorised over arrays of counts) ----------------------------------------------------------

def log_likelihood(a, b, c, d, *, measure: Measure = "ll2"):
    """Log-likelihood G² of a term counted `a` times in a target of `c` terms and `b` times in a reference of `d`.
    measure='ll2': the 2-term form of Rayson & Garside (2000) and the UCREL log-likelihood calculator,
    G² = 2 (a ln(a/E1) + b ln(b/E2)) with E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d).
    measure='ll4': the 4-term form (AntConc's default; the G-test of the 2×2 table), which adds the cells
    c−a and d−b with E3 = c(c+d−a−b)/(c+d), E4 = d(c+d−a−b)/(c+d). 0·ln 0 counts as 0."""
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    n = c + d
    e1, e2 = c * (a + b) / n, d * (a + b) / n
    g2 = xlogy(a, a / e1) + xlogy(b, b / e2)
    if measure == "ll4":
        e3, e4 = c * (n - a - b) / n, d * (n - a - b) / n
        g2 = g2 + xlogy(c - a, (c - a) / e3) + xlogy(d - b, (d - b) / e4)
    return 2 * g2


def log_ratio(a, b, c, d, *, zero: float = 0.5):
    """Hardie's (2014) Log Ratio: log2 of the term's relative frequency in the target (a/c) over that in the
    reference (b/d). A zero count is replaced by `zero` (Hardie's 0.5) so the ratio stays finite.
    1 means twice as frequent in the target, −1 half as frequent, 0 equally frequent."""
    a, b = (np.where(np.asarray(x) == 0, zero, np.asarray(x, dtype=float)) for x in (a, b))
    return np.log2((a / np.asarray(c, dtype=float)) / (b / np.asarray(d, dtype=float)))


def fightin_words_z(y_i, y_j, n_i, n_j, alpha, alpha0):
    """Monroe, Colaresi & Quinn's (2008) z-score of the log-odds ratio with a Dirichlet prior, as in their script
    (jmhessel/FightingWords): δ = ln((y_i+α)/(n_i+α0−y_i−α)) − ln((y_j+α)/(n_j+α0−y_j−α)), var δ ≈
    1/(y_i+α) + 1/(y_j+α), z = δ/√var. y: the term's counts, n: total terms, α: the term's prior, α0: the prior's
    sum over the vocabulary. Positive z: more used by i."""
    y_i, y_j, n_i, n_j, alpha, alpha0 = (np.asarray(x, dtype=float) for x in (y_i, y_j, n_i, n_j, alpha, alpha0))
    delta = np.log((y_i + alpha) / (n_i + alpha0 - y_i - alpha)) - np.log((y_j + alpha) / (n_j + alpha0 - y_j - alpha))
    return delta / np.sqrt(1 / (y_i + alpha) + 1 / (y_j + alpha))


def informative_prior(counts: pd.Series, prior_total: float) -> pd.Series:
    """Informative Dirichlet prior (Monroe et al. 2008, §3.5.2): each term's α is `prior_total` (α0) times its
    share of all term occurrences in the background `counts` (here the whole corpus), so the α sum to α0."""
    return prior_total * counts / counts.sum()


def chi2_p_value(g2):
    """Upper-tail p-value of G² under the chi-square distribution with 1 degree of freedom: P(χ²₁ ≥ x) =
    erfc(√(x/2)), since χ²₁ is the square of a standard normal variable. Equal to `scipy.stats.chi2.sf(x, 1)`
    within 1e-13 relative and about fifty times faster."""
    return erfc(np.sqrt(np.asarray(g2, dtype=float) / 2))


# --- keyness tables ------------------------------------------------------------------------------------------------

def keyness_one_vs_rest(counts: pd.DataFrame, target: str, *, measure: Measure = "ll2", min_count: int = 2,
                        prior_total: float = 100.0) -> pd.DataFrame:
    """Keyness of every term of a terms × articles `counts` table in article `target` against all other articles
    together: counts, totals, G² (`measure`), Log Ratio, Fightin' Words z, p-value (χ², 1 df, from G²) and
    Benjamini–Hochberg adjusted p-value over the terms tested. Terms used fewer than `min_count` times in the whole
    corpus are not tested (the floor), nor any term when the target or the reference has no terms of this length
    (e.g. an article in a script without spaces between words: G² is then undefined). The Fightin' Words prior is
    informative, from the whole corpus, with total α0 = `prior_total`: the default 100 is our choice (a prior worth
    100 term occurrences, about a third of a short news article), not a value from Monroe et al.; larger values shrink z further towards 0."""
    a, b = counts[target], counts.drop(columns=target).sum(axis=1)
    prior = informative_prior(a + b, prior_total)
    table = pd.DataFrame(dict(term=counts.index, count_target=a.values, count_reference=b.values,
                              total_target=a.sum(), total_reference=b.sum(), prior=prior.values))
    tested = (table["count_target"] + table["count_reference"] >= min_count) & (a.sum() > 0) & (b.sum() > 0)
    table = table[tested].reset_index(drop=True)  # no test where the target or the reference has no terms
    return add_statistics(table.assign(article_id=target, min_count=min_count, measure=measure,
                                       prior_total=prior_total))


def add_statistics(table: pd.DataFrame) -> pd.DataFrame:
    """`table` (count_target, count_reference, total_target, total_reference, measure, prior, prior_total) with
    g2, log_ratio, z_fightin, p_value, p_adjusted (Benjamini–Hochberg over the rows) and direction added."""
    a, b, c, d = (table[k] for k in ("count_target", "count_reference", "total_target", "total_reference"))
    g2 = log_likelihood(a, b, c, d, measure=table["measure"].iloc[0]) if len(table) else []
    p = chi2_p_value(g2)
    return table.assign(
        g2=g2, log_ratio=log_ratio(a, b, c, d), p_value=p,
        z_fightin=fightin_words_z(a, b, c, d, table["prior"], table["prior_total"]),
        p_adjusted=benjamini_hochberg(p),
        direction=np.where(a * d >= b * c, "target", "reference"))


def keyness_table(sentences: pd.DataFrame, *, measure: Measure = "ll2", min_count: int = 2,
                  prior_total: float = 100.0, ngrams: tuple[int, ...] = (1, 2)) -> pd.DataFrame:
    """`tables/keyness.csv`: `keyness_one_vs_rest` for every article and every term length in `ngrams` (totals
    per length). Sorted by article (corpus order), then G² signed by direction (largest target keywords first).
    Empty (the same columns) for fewer than two articles: there is no reference to compare with."""
    counts = {a: t.counts for a, t in corpus_terms(sentences, (min(ngrams), max(ngrams))).items()}
    return keyness_from_counts(counts, measure=measure, min_count=min_count, prior_total=prior_total, ngrams=ngrams)


def keyness_from_counts(counts: dict[str, Counter], *, measure: Measure = "ll2", min_count: int = 2,
                        prior_total: float = 100.0, ngrams: tuple[int, ...] = (1, 2)) -> pd.DataFrame:
    """`keyness_table` from each article's term counts (`TermCounts.counts`, corpus order)."""
    articles = list(counts)
    if len(articles) < 2:  # keyness needs a reference to compare with
        return pd.DataFrame(columns=KEYNESS_COLUMNS)
    tables = {n: count_table(counts, ngram=n) for n in ngrams}
    parts = [keyness_one_vs_rest(tables[n], a, measure=measure, min_count=min_count,
                                 prior_total=prior_total).assign(ngram=n)
             for a in articles for n in ngrams]
    table = pd.concat(parts, ignore_index=True)[KEYNESS_COLUMNS]
    table = table.assign(_signed=signed_g2(table))
    return sort_by_article(table, articles, ["_signed", "term"], [False, True]).drop(columns="_signed")


def keyness_top(model: TfidfModel, *, top: int = 25, measure: Measure = "ll2", min_count: int = 2,
                prior_total: float = 100.0, ngrams: tuple[int, ...] = (1, 2),
                corpus_totals: np.ndarray | None = None) -> pd.DataFrame:
    """The rows of `keyness_table` a large corpus needs, computed from term counts (`model.counts`) without
    forming the terms × articles table: for each article and term length, the `top` terms the article uses that
    are key for it (direction 'target'), largest G² first (ties by term). Every statistic equals the full table's,
    p_adjusted included (Benjamini–Hochberg over all terms tested for the article, used or not; see
    `stats.benjamini_hochberg`). Same columns and order as `keyness_table`. `corpus_totals` (each model term's count
    in the whole corpus) makes the model one part of a larger corpus: its articles are compared with the rest of
    that corpus (`analysis.engine`); by default the corpus is the model's articles."""
    lengths = model.lengths
    parts = [_keyness_top_ngram(model, n, lengths == n, top=top, measure=measure, min_count=min_count,
                                prior_total=prior_total, corpus_totals=corpus_totals) for n in ngrams]
    table = pd.concat(parts, ignore_index=True)[KEYNESS_COLUMNS]
    return sort_by_article(table, model.article_ids, ["g2", "term"], [False, True])


def _keyness_top_ngram(model: TfidfModel, n: int, chosen: np.ndarray, *, top: int, measure: Measure,
                       min_count: int, prior_total: float, corpus_totals: np.ndarray | None) -> pd.DataFrame:
    """`keyness_top` rows for the terms of length `n` (the `chosen` columns of the model)."""
    counts = model.counts[:, np.flatnonzero(chosen)].tocsr()
    counts.sort_indices()
    totals = (np.bincount(counts.indices, weights=counts.data, minlength=counts.shape[1]) if corpus_totals is None
              else np.asarray(corpus_totals)[chosen]).astype(np.int64)
    everything = int(totals.sum())
    c = np.asarray(counts.sum(axis=1)).ravel().astype(np.int64)
    tested = totals >= min_count
    row = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    keep = tested[counts.indices] & (c[row] < everything)  # an article holding every term has no reference
    article, column, a = row[keep], counts.indices[keep], counts.data[keep].astype(np.int64)
    b, c_, d = totals[column] - a, c[article], everything - c[article]
    g2 = log_likelihood(a, b, c_, d, measure=measure)
    p = chi2_p_value(g2)
    target = np.flatnonzero(a * d >= b * c_)
    ranked = target[np.lexsort((column[target], -g2[target], article[target]))]
    first = np.searchsorted(article[ranked], article[ranked], side="left")
    picked = np.sort(ranked[np.arange(len(ranked)) - first < top])
    adjusted = _adjusted_by_article(p, article, totals[column], totals[tested], c, everything, measure)
    i = picked
    prior = prior_total * totals[column[i]] / everything
    return pd.DataFrame(dict(
        article_id=np.array(model.article_ids, dtype=object)[article[i]], ngram=n,
        term=model.terms[np.flatnonzero(chosen)[column[i]]], count_target=a[i], count_reference=b[i],
        total_target=c_[i], total_reference=d[i], min_count=min_count, measure=measure, g2=g2[i],
        log_ratio=log_ratio(a[i], b[i], c_[i], d[i]), prior=prior, prior_total=prior_total,
        z_fightin=fightin_words_z(a[i], b[i], c_[i], d[i], prior, prior_total), p_value=p[i],
        p_adjusted=adjusted[i], direction="target"))


def _adjusted_by_article(p: np.ndarray, article: np.ndarray, used_totals: np.ndarray, tested_totals: np.ndarray,
                         c: np.ndarray, everything: int, measure: Measure) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values of the terms each article uses (`p`; `article`: each one's article
    row, sorted; `used_totals`: each one's corpus total) over all the terms tested for that article. A tested term
    the article does not use has count 0 in it and its corpus total as reference count, so its p-value depends on
    that total and the article's term total only (`tested_totals`: the corpus totals of all tested terms; `c`:
    each article's term total, of `everything`); these are computed once per distinct pair."""
    values, repeats = np.unique(tested_totals, return_counts=True)
    sizes, size_of = np.unique(c, return_inverse=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        absent = chi2_p_value(log_likelihood(0, values[None, :], sizes[:, None], everything - sizes[:, None],
                                             measure=measure))
    adjusted = np.empty(len(p))
    bounds = np.searchsorted(article, np.arange(len(c) + 1))
    for i, (start, end) in enumerate(zip(bounds[:-1], bounds[1:])):
        if start < end:
            unused = repeats - np.bincount(np.searchsorted(values, used_totals[start:end]), minlength=len(values))
            adjusted[start:end] = benjamini_hochberg(p[start:end], absent[size_of[i]][unused > 0],
                                                        unused[unused > 0])
    return adjusted


def per_thousand(rows: pd.DataFrame) -> pd.DataFrame:
    """Keyness `rows` with each term's relative frequency per 1,000 terms (of its length) in the reference (x) and
    in the target (y), a zero count taken as 0.5 as in the Log Ratio, so that it has a place on log axes."""
    x = rows["count_reference"].where(rows["count_reference"] > 0, 0.5) / rows["total_reference"] * 1000
    y = rows["count_target"].where(rows["count_target"] > 0, 0.5) / rows["total_target"] * 1000
    return rows.assign(x=x, y=y)


def signed_g2(keyness: pd.DataFrame) -> pd.Series:
    """G² with the sign of the direction: positive where the term is relatively more frequent in the target."""
    return keyness["g2"].where(keyness["direction"] == "target", -keyness["g2"])


def top_keywords(keyness: pd.DataFrame, *, top: int = 10, by: str = "g2",
                 direction: Literal["target", "reference"] = "target") -> pd.DataFrame:
    """The `top` keywords per article in `direction`, ranked by `by` (g2, log_ratio or z_fightin, in absolute
    value), ties broken by term."""
    rows = keyness[keyness["direction"] == direction].assign(_score=lambda t: t[by].abs())
    return top_terms(rows, "_score", top=top).drop(columns="_score")
