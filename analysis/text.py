"""Text: sentences, word tokens and the normalized term view used for statistics.

Three views of the same text, each for one purpose:
- `split_sentences` — raw sentences (syntok's segmenter; the raw characters are kept, whitespace runs become one
  space). Sentiment is computed on these, never on tokens.
- `word_tokens` — NLTK's Treebank-style word tokenizer (`NLTKWordTokenizer`, which needs no `nltk_data`), run on
  one sentence at a time after curly quotes are made straight, so "Ukraine’s" gives "Ukraine", "'s".
- `terms` — the view for term statistics: word tokens lower-cased, kept if they contain a letter, and dropped if
  they are in scikit-learn's English stop-word list (318 words, `sklearn.feature_extraction.text.ENGLISH_STOP_WORDS`)
  or are clitics such as "'s", "n't" and the stems the tokenizer leaves of contractions ("ca" of "can't", "wo" of
  "won't", "gon" and "na" of "gonna").

syntok and NLTK are called through `analysis.shortcuts`, which gives their results faster (`ANALYSIS_SHORTCUTS=0`
runs the libraries themselves). `detokenize` and `paired_quotes` turn tokens back into readable text.
"""
from __future__ import annotations

import re
from functools import cache

from nltk.tokenize.treebank import TreebankWordDetokenizer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from analysis.shortcuts import sentence_slices, word_tokenizer

STOP_WORDS = frozenset(ENGLISH_STOP_WORDS)
# The Treebank tokenizer splits "can't" into "ca" + "n't", "won't" into "wo" + "n't", "ain't", "shan't", and
# "gonna", "wanna", "gotta", "gimme", "lemme" into two pieces: the pieces that are no English word are not terms.
CONTRACTION_PIECES = frozenset({"n't", "ca", "wo", "ai", "sha", "gon", "wan", "na", "ta", "gim", "lem"})
QUOTE_MARKS = {"‘": "'", "’": "'", "“": '"', "”": '"', "″": '"'}  # curly quote → straight
MAX_SENTENCE = 2000  # characters: a longer sentence (a line without sentence ends) is cut into pieces (`bounded`)
_DETOKENIZER = TreebankWordDetokenizer()
WORD_CHAR = re.compile(r"[^\W_]")  # a letter or digit: what str.isalnum() accepts (re's \w is that plus '_')
# Titles before a name after which syntok ends a sentence ('Gov. Ron DeSantis'), and a glued sentence end ('page.If',
# 'pacts".This', '(CNA)."While').
TITLE_ABBREVIATIONS = ("Gov", "Sen", "Rep", "Gen", "Lt", "Col", "St", "Sgt", "Maj", "Capt", "Adm", "Cmdr", "Brig",
                       "Gens", "Sens", "Reps", "Govs", "Prof", "Rev", "Amb", "Pres", "Supt", "Cpl", "Pvt", "Hon")
TITLE_END = re.compile(rf"(?:^|[\s(\"“'‘])(?:{'|'.join(TITLE_ABBREVIATIONS)})\.$")
GLUED = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][A-Za-z]|[-–—] |[“\"](?=[A-Z]))"
                   r"|(?<=[^\W_]\)[.!?])(?=[A-Z][a-z]|[“\"](?=[A-Z]))"
                   r"|(?<=[a-z]{2}[.!?][”\"])(?=[A-Z][A-Za-z])|(?<=[a-z]{2}[”\"][.!?])(?=[A-Z][A-Za-z])")
GLUE_HINT = re.compile(r"[.!?”\"][-–—A-Z“\"]")  # around every GLUED cut: searched first, as it is much faster
FULL_WIDTH_END = re.compile(  # after 。！？ and any closing quote: where a Chinese or Japanese sentence ends
    "(?:(?<=[\u3002\uff01\uff1f])|(?<=[\u3002\uff01\uff1f][\u201d\u300d\u300f]))(?![\u201d\u300d\u300f])\\s*(?=\\S)")


def clean_space(text: str) -> str:
    """`text` with every run of whitespace (no-break spaces included) made one space, ends stripped."""
    return " ".join(text.split())  # str.split and re's \s both split at what str.isspace calls whitespace


def split_sentences(paragraph: str, *, shortcuts: bool | None = None) -> list[str]:
    """Sentences of one paragraph, as raw text slices (whitespace normalized), in order: syntok's
    (`raw_sentences`; `shortcuts` as there) after cuts at the full-width stops of Chinese and Japanese
    (`FULL_WIDTH_END`), which syntok does not know, with two repairs of its boundaries (`repaired`)."""
    parts = FULL_WIDTH_END.split(paragraph) if "\u3002" in paragraph or "\uff01" in paragraph or "\uff1f" in paragraph \
        else [paragraph]
    return repaired([s for part in parts for s in raw_sentences(part, shortcuts=shortcuts)])


def raw_sentences(paragraph: str, *, shortcuts: bool | None = None) -> list[str]:
    """Sentences of one paragraph as syntok's segmenter finds them (`shortcuts.sentence_slices`; `shortcuts` as
    there): raw text slices, whitespace normalized, blank ones dropped."""
    return [s for s in map(clean_space, sentence_slices(paragraph, shortcuts=shortcuts)) if s]


def repaired(sentences: list[str]) -> list[str]:
    """`sentences` of one paragraph with syntok's two common errors on news text mended: a sentence ending in a
    title abbreviation (`TITLE_ABBREVIATIONS`: 'Florida Gov.', 'Lt.') is joined to the next one when that starts
    with a capital ('Florida Gov. Ron DeSantis said ...'), and a sentence is cut where a terminal after a word of
    two or more lower-case letters is followed, with no space, by a capital, a dash and a space, or an opening
    quote (machine-translated wires: 'Zelanski.- It was', 'pacts".This', 'matters.XI Jinping'), a straight
    quote that closes a quotation staying with its sentence (`glued_pieces`); and a piece with no letter or digit
    (a stray closing quote mark) is joined to the sentence before it."""
    joined: list[str] = []
    for sentence in sentences:
        if joined and TITLE_END.search(joined[-1]) and sentence[:1].isupper():
            joined[-1] += " " + sentence
        else:
            joined.append(sentence)
    pieces = [piece for sentence in joined for piece in (glued_pieces(sentence) if GLUE_HINT.search(sentence)
                                                         else [sentence])]
    mended: list[str] = []
    for piece in pieces:  # a piece with no letter or digit (a closing quote mark, '.') ends the sentence before it
        if mended and not WORD_CHAR.search(piece):
            mended[-1] += " " + piece
        else:
            mended.append(piece)
    return mended


def glued_pieces(sentence: str) -> list[str]:
    """`sentence` cut at its glued sentence ends (`GLUED`). A straight double quote right after the terminal
    goes with the sentence it belongs to: it closes a quotation when an odd number of them precede it ('ignore
    them."Referring': the cut follows it), else it opens the next sentence ('spoke."The war': the cut precedes it)."""
    cuts = set()
    for match in GLUED.finditer(sentence):
        cut = match.start()
        mark = cut if sentence[cut] == '"' else cut - 1 if sentence[cut - 1] == '"' and sentence[cut - 2] in ".!?" \
            else None
        cuts.add(cut if mark is None else mark + sentence.count('"', 0, mark) % 2)
    bounds = [0, *sorted(cuts), len(sentence)]
    return [sentence[a:b] for a, b in zip(bounds, bounds[1:]) if sentence[a:b]]


def bounded(sentence: str, limit: int = MAX_SENTENCE) -> list[str]:
    """`sentence` cut at spaces into pieces of at most `limit` characters (a run of `limit` characters without a
    space is cut where it reaches the limit): what keeps a line without sentence ends from costing time and
    memory that grow faster than its length (quote attribution and VADER's rules work on whole sentences)."""
    if len(sentence) <= limit:
        return [sentence]
    pieces, start = [], 0
    while start < len(sentence):
        end = min(start + limit, len(sentence))
        if end < len(sentence) and (cut := sentence.rfind(" ", start + 1, end + 1)) > start:
            end = cut
        pieces.append(sentence[start:end].strip())
        start = end
    return [piece for piece in pieces if piece]


def word_tokens(sentence: str, *, shortcuts: bool | None = None) -> list[str]:
    """Word and punctuation tokens of one sentence (NLTK Treebank rules, `shortcuts.word_tokenizer`; curly quotes
    made straight first; `shortcuts` as there)."""
    tokens = word_tokenizer(shortcuts).tokenize(straight_quotes(sentence))
    return ['"' if token in ("``", "''") else token for token in tokens]


def straight_quotes(text: str) -> str:
    """`text` with its curly quotes made straight (`QUOTE_MARKS`)."""
    for curly, straight in QUOTE_MARKS.items():
        if curly in text:
            text = text.replace(curly, straight)
    return text


def is_word(token: str) -> bool:
    """True if `token` contains a letter or digit (a word or number, not punctuation)."""
    return WORD_CHAR.search(token) is not None


@cache
def term(token: str) -> str | None:
    """The term of one word token: lower-cased, if it contains a letter and is neither an English stop word nor a
    clitic or contraction piece (`CONTRACTION_PIECES`); else None. Memoized per distinct token."""
    lowered = token.lower()
    keep = (any(ch.isalpha() for ch in lowered) and lowered not in STOP_WORDS and lowered[0].isalnum()
            and lowered not in CONTRACTION_PIECES)  # clitics "'s", "'re", ... start with no letter
    return lowered if keep else None


def terms(tokens: list[str]) -> list[str]:
    """Term view of word tokens: lower-cased, containing a letter, not an English stop word, clitic or contraction
    piece."""
    return [t for t in map(term, tokens) if t is not None]


def words(tokens: list[str]) -> list[str]:
    """Word tokens (punctuation dropped), case kept: what 'tokens' counts in the statistics."""
    return [token for token in tokens if WORD_CHAR.search(token)]


def shorten(label: str, width: int) -> str:
    """`label` cut to `width` characters with an ellipsis if longer (spaces, '-' and '_' before the ellipsis
    dropped), for one-line labels."""
    return label if len(label) <= width else label[:width - 1].rstrip(" -_") + "…"


def detokenize(tokens: list[str]) -> str:
    """Readable text from Treebank tokens (straight double quotes alternate as opening and closing)."""
    return _DETOKENIZER.detokenize(tokens)


def paired_quotes(tokens: list[str]) -> list[str]:
    """`tokens` with each straight double quote marked as opening (``) or closing ('') in turn, so that
    `detokenize` attaches it to the right word."""
    marked, opening = [], True
    for token in tokens:
        marked.append(("``" if opening else "''") if token == '"' else token)
        opening ^= token == '"'
    return marked
