"""Words in context: concordance (KWIC) lines, collocations and where terms fall along each article.

Matching is on lower-cased word tokens (NLTK Treebank tokens with punctuation dropped, `text.words`), one sentence
at a time, so a phrase never matches across a sentence boundary. A query is one or more words; a word may hold
`*`, which matches any run of characters inside one token (`escalat*` matches "escalation" and "escalate").
Hyphenated words are single tokens ("de-escalation"), and "Ukraine's" is the two tokens "ukraine", "'s".
"""
from __future__ import annotations

import re
from typing import Literal

import pandas as pd
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

from analysis.text import detokenize, is_word, paired_quotes, terms, word_tokens, words

Association = Literal["likelihood_ratio", "pmi"]
KWIC_COLUMNS = ["article_id", "sentence_index", "left", "match", "right"]


# --- matching ----------------------------------------------------------------------------------------------------

def query_patterns(query: str) -> list[re.Pattern]:
    """One regular expression per query word, matching a whole lower-cased token. Words with `*` are kept whole
    (`*` = any characters); others are split by the study's tokenizer, so "Ukraine's" gives "ukraine", "'s"."""
    parts = [[p] if "*" in p else words(word_tokens(p)) for p in query.lower().split()]
    patterns = [re.escape(w).replace(r"\*", ".*") for part in parts for w in part]
    if not patterns:
        raise ValueError(f"the query {query!r} holds no word")
    return [re.compile(p + r"\Z") for p in patterns]


def match_spans(tokens: list[str], patterns: list[re.Pattern]) -> list[tuple[int, int]]:
    """(first, last) word positions (0-based, counting word tokens only) of every match of `patterns` in one
    sentence's tokens."""
    lowered = [t.lower() for t in words(tokens)]
    n = len(patterns)
    return [(k, k + n - 1) for k in range(len(lowered) - n + 1)
            if all(p.match(w) for p, w in zip(patterns, lowered[k:k + n]))]


# --- KWIC --------------------------------------------------------------------------------------------------------

def kwic_line(tokens: list[str], first: int, last: int, window: int | None) -> dict:
    """Left context, match and right context (text) of the words `first`..`last` of one sentence's tokens;
    `window` word tokens each side (punctuation in between kept), or the whole sentence if None."""
    marked = paired_quotes(tokens)
    at = [i for i, t in enumerate(tokens) if is_word(t)]
    start = 0 if window is None else at[max(first - window, 0)]
    stop = len(tokens) if window is None else at[min(last + window, len(at) - 1)] + 1
    return dict(left=detokenize(marked[start:at[first]]), match=detokenize(marked[at[first]:at[last] + 1]),
                right=detokenize(marked[at[last] + 1:stop]))


def concordance(sentences: pd.DataFrame, query: str, *, window: int | None = 6) -> pd.DataFrame:
    """KWIC table of `query` (word, phrase or wildcard, see `query_patterns`) in a sentences table: article_id,
    sentence_index, left, match, right; `window` word tokens of context each side, or the whole sentence if None.
    Rows in corpus order."""
    patterns = query_patterns(query)
    rows = [dict(article_id=s.article_id, sentence_index=s.sentence_index,
                 **kwic_line(s.tokens, first, last, window))
            for s in sentences.itertuples() for first, last in match_spans(s.tokens, patterns)]
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)


# --- dispersion --------------------------------------------------------------------------------------------------

def dispersion_positions(sentences: pd.DataFrame, queries: list[str]) -> pd.DataFrame:
    """Where each query matches along each article: article_id, term (the query), sentence_index, word (0-based
    word position of the match start in the article) and position = word / words in the article (0 = start,
    1 = end). Articles without a match have no rows for that query."""
    rows = []
    for article_id, group in sentences.groupby("article_id", sort=False):
        lengths = group["tokens"].map(lambda t: len(words(t)))
        offsets, size = lengths.cumsum() - lengths, max(int(lengths.sum()), 1)
        for query in queries:
            patterns = query_patterns(query)
            rows += [dict(article_id=article_id, term=query, sentence_index=s.sentence_index, word=offset + first,
                          position=(offset + first) / size)
                     for s, offset in zip(group.itertuples(), offsets) for first, _ in match_spans(s.tokens, patterns)]
    return pd.DataFrame(rows, columns=["article_id", "term", "sentence_index", "word", "position"])


# --- collocations ------------------------------------------------------------------------------------------------

def collocation_finder(token_lists: list[list[str]], *, min_count: int = 2) -> BigramCollocationFinder:
    """NLTK bigram finder over lower-cased word tokens, one sentence per document (no bigram across sentences);
    bigrams with a word outside the term view (stop words, clitics, numbers) or seen fewer than `min_count`
    times are filtered out after counting, so the word marginals still count every token."""
    finder = BigramCollocationFinder.from_documents([[w.lower() for w in words(t)] for t in token_lists])
    finder.apply_word_filter(lambda w: not terms([w]))
    finder.apply_freq_filter(min_count)
    return finder


def collocations(sentences: pd.DataFrame, *, measures: tuple[Association, ...] = ("likelihood_ratio", "pmi"),
                 min_count: int = 2, top: int = 10) -> pd.DataFrame:
    """Top `top` bigram collocations per article and association measure (NLTK `BigramAssocMeasures`: Dunning's
    likelihood ratio, or pointwise mutual information in bits), among bigrams seen at least `min_count` times:
    article_id, measure, rank, bigram, count, score."""
    rows = []
    for article_id, group in sentences.groupby("article_id", sort=False):
        finder = collocation_finder(list(group["tokens"]), min_count=min_count)
        for measure in measures:
            scored = sorted(finder.score_ngrams(getattr(BigramAssocMeasures, measure)), key=lambda x: (-x[1], x[0]))
            rows += [dict(article_id=article_id, measure=measure, rank=rank, bigram=" ".join(gram),
                          count=finder.ngram_fd[gram], score=score)
                     for rank, (gram, score) in enumerate(scored[:top], start=1)]
    return pd.DataFrame(rows, columns=["article_id", "measure", "rank", "bigram", "count", "score"])
