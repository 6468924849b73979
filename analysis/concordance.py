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
from IPython.display import HTML
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

from analysis.text import is_word, straight_quotes, terms, word_tokens, words

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


QUOTE_FORMS = ('"', "''", "``")  # how a double-quote token can stand in the (straightened) text


def token_offsets(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """(start, end) character offsets of each of `tokens` (NLTK Treebank tokens of `text`) in `text`, found in
    order (curly quotes read as straight ones, as `text.word_tokens` does); a token the text does not hold as written (a
    tokenizer rewrite) is placed at the next non-space character."""
    text = straight_quotes(text)  # as the tokenizer saw it; each curly quote is one straight character
    spans, at = [], 0
    for token in tokens:
        while at < len(text) and text[at].isspace():
            at += 1
        forms = QUOTE_FORMS if token in QUOTE_FORMS else (token,)
        found = [(text.find(form, at), len(form)) for form in forms]
        found = [(start, size) for start, size in found if start >= 0]
        start, size = min(found) if found else (at, 1)
        spans.append((start, min(start + size, len(text))))
        at = start + size
    return spans


# --- KWIC --------------------------------------------------------------------------------------------------------

def kwic_line(text: str, tokens: list[str], first: int, last: int, window: int | None) -> dict:
    """Left context, match and right context of the words `first`..`last` (word positions) of one sentence, cut
    from the sentence `text` itself, so that they read as the text has them (`an "invisible hand" pushing`, and
    left + match + right is a stretch of the text); `window` word tokens each side (punctuation in between
    kept, up to the next word), or the whole sentence if None."""
    spans = token_offsets(text, tokens)
    at = [i for i, t in enumerate(tokens) if is_word(t)]
    start = 0 if window is None else spans[at[max(first - window, 0)]][0]
    stop = len(text) if window is None else spans[at[min(last + window, len(at) - 1)]][1]
    begin, end = spans[at[first]][0], spans[at[last]][1]
    return dict(left=text[start:begin].lstrip(), match=text[begin:end], right=text[end:stop].rstrip())


def concordance(sentences: pd.DataFrame, query: str, *, window: int | None = 6) -> pd.DataFrame:
    """KWIC table of `query` (word, phrase or wildcard, see `query_patterns`) in a sentences table (columns
    article_id, sentence_index, text, tokens): article_id, sentence_index, left, match, right, each cut from the
    sentence's raw text; `window` word tokens of context each side, or the whole sentence if None. Rows in corpus
    order (`sort_concordance` orders them by context)."""
    patterns = query_patterns(query)
    rows = [dict(article_id=s.article_id, sentence_index=s.sentence_index,
                 **kwic_line(s.text, s.tokens, first, last, window))
            for s in sentences.itertuples() for first, last in match_spans(s.tokens, patterns)]
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)


def context_words(context: str, side: str, n: int = 3) -> list[str]:
    """The `n` words of a context nearest the match, lower-cased, nearest first (AntConc's L1, L2, ... or R1,
    R2, ...); '' where the context runs out."""
    found = [w.lower() for w in words(word_tokens(context))] if context else []
    near = found[::-1] if side == "left" else found
    return (near + [""] * n)[:n]


def sort_concordance(kwic: pd.DataFrame, by: str = "right", n: int = 3) -> pd.DataFrame:
    """A KWIC table with AntConc's sort columns L1..Ln (words left of the match, nearest first) and R1..Rn, rows
    ordered by the `by` side's words (nearest first, then the next) within each query, or in corpus order for
    `by` = 'position'. Sorting by the right context groups what follows a term ("talks *with*", "talks *on*"),
    by the left what precedes it."""
    if by not in ("left", "right", "position"):
        raise ValueError(f"sort by 'left', 'right' or 'position', not {by!r}")
    left = pd.DataFrame([context_words(c, "left", n) for c in kwic["left"]], columns=[f"L{i}" for i in range(1, n + 1)],
                        index=kwic.index)
    right = pd.DataFrame([context_words(c, "right", n) for c in kwic["right"]],
                         columns=[f"R{i}" for i in range(1, n + 1)], index=kwic.index)
    table = pd.concat([kwic, left, right], axis=1)
    if by == "position":
        return table
    keys = ([c for c in ("query",) if c in table.columns] + list((left if by == "left" else right).columns))
    return table.sort_values(keys, kind="stable").reset_index(drop=True)


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


def kwic_view(kwic: pd.DataFrame, labels: dict[str, str]):
    """The KWIC table as a reader sees it (HTML from a pandas Styler): query, article label, sentence, the left context
    aligned right against the match in bold, then the right context; a fixed table id, so an executed notebook's
    bytes do not change from run to run."""
    table = kwic.assign(article=kwic["article_id"].map(labels))[["query", "article", "sentence_index", "left",
                                                                    "match", "right"]]
    styled = (table.style.set_uuid("kwic").hide(axis="index")
              .set_properties(subset=["left"], **{"text-align": "right"})
              .set_properties(subset=["match"], **{"font-weight": "bold"}))
    return HTML(styled.to_html())
