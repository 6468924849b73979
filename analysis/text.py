"""Text: sentences, word tokens and the normalized term view used for statistics.

Three views of the same text, each for one purpose:
- `split_sentences` — raw sentences (syntok's segmenter; the raw characters are kept, whitespace runs become one
  space). Sentiment is computed on these, never on tokens.
- `word_tokens` — NLTK's Treebank-style word tokenizer (`NLTKWordTokenizer`, which needs no `nltk_data`), run on
  one sentence at a time after curly quotes are made straight, so "Ukraine’s" gives "Ukraine", "'s". Its patterns
  run on Python's `re` engine where that gives the same tokens (`PlainNLTKWordTokenizer`), which is faster.
- `terms` — the view for term statistics: word tokens lower-cased, kept if they contain a letter, and dropped if
  they are in scikit-learn's English stop-word list (318 words, `sklearn.feature_extraction.text.ENGLISH_STOP_WORDS`)
  or are clitics such as "'s", "n't".
"""
from __future__ import annotations

import re
from functools import cache

import regex
from nltk.tokenize import NLTKWordTokenizer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from syntok import segmenter
from syntok._segmentation_states import State

STOP_WORDS = frozenset(ENGLISH_STOP_WORDS)
QUOTE_MARKS = {"‘": "'", "’": "'", "“": '"', "”": '"', "″": '"'}  # curly quote → straight
_TOKENIZER = NLTKWordTokenizer()
PLAIN_LIMIT = 2000  # characters: longer text is tokenized by NLTK's own, time-limited patterns
MAX_SENTENCE = 2000  # characters: a longer sentence (a line without sentence ends) is cut into pieces (`bounded`)
CHECKED_RANGES = ((0x09, 0x0D), (0x20, 0x7E), (0xA0, 0x52F), (0x2000, 0x206F), (0x20A0, 0x20C0), (0x2100, 0x214F))
WORD_CHAR = re.compile(r"[^\W_]")  # a letter or digit: what str.isalnum() accepts (re's \w is that plus '_')
# Shortcuts that give syntok's sentences without running it where its rules are plain (tested against syntok):
# - syntok ends a sentence only at one of its terminal tokens or around an opening bracket (syntok's
#   State.terminals, State.opening_brackets); a paragraph with neither, except one final . ! or ? (at most one
#   closing quote right after it), is one sentence, and so is one whose other terminals are only full stops that
#   syntok does not split at (`without_inner_stops`);
# - before a paragraph's first opening bracket, syntok always splits after a word of two or more letters, lower
#   case or capitalized, standing after a space (not one of its abbreviations, nor 'no', after which syntok does
#   not split before a word holding a digit: 'no. A5') and one . ! or ? (at most one closing quote right after
#   it), when a space and a capital or an opening quote follow; also after such a word (after a space or an
#   opening double quote) closed by a double quote and followed by one . ! or ?, as in 'called it “hell”. They'
#   (syntok then reads the closing quote as the token before the terminal): `safe_cuts`.
# Line breaks (syntok splits at blank lines) and characters that syntok's tokenizer and Python's `re` treat
# differently as space (controls, zero-width and separator characters) end the part of a paragraph that is cut.
SYNTOK_TERMINALS = "".join(sorted(t for t in State.terminals if len(t) == 1))  # and "...", made of "."
SYNTOK_OPENING_BRACKETS = "".join(sorted(State.opening_brackets))
ODD_SPACE = "\x00-\x08\n\r\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u2060\ufeff"
CLOSING_QUOTE = "\"'\u201d\u2019"
ONE_SENTENCE = re.compile(f"[^{re.escape(SYNTOK_TERMINALS + SYNTOK_OPENING_BRACKETS)}{ODD_SPACE}]*"
                          f"[.!?]?[{CLOSING_QUOTE}]?[ \t]*")
BREAKABLE = re.compile(f"[^{re.escape(SYNTOK_OPENING_BRACKETS)}{ODD_SPACE}]*")
NO_SAFE_BREAK = State.abbreviations | {"no", "No"}  # words after which (unquoted) a safe cut is not made
SAFE_END = re.compile(f"[.!?][{CLOSING_QUOTE}]?(?= +[A-Z\u201c\u2018\"])|[\u201d\"][.!?](?= +[A-Z\u201c\u2018\"])")
PLAIN_WORD = re.compile("[A-Z][a-z]+|[a-z]{2,}")
# Full stops that are no terminal token for syntok (a decimal point: its tokenizer keeps '23.14' whole), or after
# which it never splits ('Mr. Putin': an abbreviation of its list before a capitalized word that is not one of its
# sentence starters, that word then being the next token).
# Titles before a name after which syntok ends a sentence ('Gov. Ron DeSantis'), and a glued sentence end.
TITLE_ABBREVIATIONS = ("Gov", "Sen", "Rep", "Gen", "Lt", "Col", "St", "Sgt", "Maj", "Capt", "Adm", "Cmdr", "Brig",
                       "Gens", "Sens", "Reps", "Govs", "Prof", "Rev", "Amb", "Pres", "Supt", "Cpl", "Pvt", "Hon")
TITLE_END = re.compile(rf"(?:^|[\s(\"“'‘])(?:{'|'.join(TITLE_ABBREVIATIONS)})\.$")
GLUED = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]|[-–—] |[“\"](?=[A-Z]))|(?<=[a-z]{2}[.!?][”\"])(?=[A-Z][a-z])"
                   r"|(?<=[a-z]{2}[”\"][.!?])(?=[A-Z][a-z])")
FULL_WIDTH_END = re.compile(  # after 。！？ and any closing quote: where a Chinese or Japanese sentence ends
    "(?:(?<=[\u3002\uff01\uff1f])|(?<=[\u3002\uff01\uff1f][\u201d\u300d\u300f]))(?![\u201d\u300d\u300f])\\s*(?=\\S)")
DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
TITLE_STOP = re.compile(r"(?<![^ ])(?:Mr|Mrs|Ms|Dr)(\.)(?= ([A-Z][a-z]+)(?:[ ,;:'\u2019]|$))")


def clean_space(text: str) -> str:
    """`text` with every run of whitespace (no-break spaces included) made one space, ends stripped."""
    return " ".join(text.split())  # str.split and re's \s both split at what str.isspace calls whitespace


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, as raw text slices (whitespace normalized), in order: syntok's
    (`raw_sentences`), with two repairs of its boundaries (`repaired`)."""
    return repaired(raw_sentences(paragraph))


def raw_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph as syntok's segmenter finds them (raw text slices, whitespace normalized), with
    syntok run only on the pieces its rules leave open (see `safe_cuts` and `ONE_SENTENCE`), after cuts
    at the full-width stops of Chinese and Japanese (`FULL_WIDTH_END`), which syntok does not know."""
    sentences = []
    for piece in (piece for part in FULL_WIDTH_END.split(paragraph) for piece in safe_pieces(part)):
        if ONE_SENTENCE.fullmatch(piece) or ONE_SENTENCE.fullmatch(without_inner_stops(piece)):
            sentences += [clean_space(piece)] if piece.strip() else []
        else:
            sentences += syntok_sentences(piece)
    return sentences


def repaired(sentences: list[str]) -> list[str]:
    """`sentences` of one paragraph with syntok's two common errors on news text mended: a sentence ending in a
    title abbreviation (`TITLE_ABBREVIATIONS`: 'Florida Gov.', 'Lt.') is joined to the next one when that starts
    with a capital ('Florida Gov. Ron DeSantis said ...'), and a sentence is cut where a terminal after a word of
    two or more lower-case letters is followed, with no space, by a capital, a dash and a space, or an opening
    quote (machine-translated wires: 'Zelanski.- It was', 'pacts".This')."""
    joined: list[str] = []
    for sentence in sentences:
        if joined and TITLE_END.search(joined[-1]) and sentence[:1].isupper():
            joined[-1] += " " + sentence
        else:
            joined.append(sentence)
    return [piece for sentence in joined for piece in GLUED.split(sentence) if piece]


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


def without_inner_stops(piece: str) -> str:
    """`piece` without the full stops at which syntok never splits: decimal points, and the stop of 'Mr.', 'Mrs.',
    'Ms.' or 'Dr.' before a capitalized word that is not one of syntok's sentence starters."""
    stops = [m.start(1) for m in TITLE_STOP.finditer(piece) if m.group(2) not in State.starters]
    for position in reversed(stops):
        piece = piece[:position] + piece[position + 1:]
    return DECIMAL_POINT.sub("", piece) if "." in piece else piece


def safe_pieces(paragraph: str) -> list[str]:
    """`paragraph` cut at its `safe_cuts`."""
    cuts = safe_cuts(paragraph)
    return [paragraph[i:j] for i, j in zip([0] + cuts, cuts + [len(paragraph)])]


def safe_cuts(paragraph: str) -> list[int]:
    """Where syntok surely ends a sentence in the `BREAKABLE` start of `paragraph` (up to its first opening
    bracket or odd space; see the shortcuts above): after each `SAFE_END` whose word before it is a `PLAIN_WORD`
    standing after a space (not in `NO_SAFE_BREAK`), or, quoted, after a space or an opening double quote."""
    cuts = []
    for end in SAFE_END.finditer(paragraph, 0, BREAKABLE.match(paragraph).end()):
        quoted = paragraph[end.start()] not in ".!?"
        start = max(paragraph.rfind(mark, 0, end.start()) for mark in (' \u201c"' if quoted else " ")) + 1
        word = paragraph[start:end.start()]
        if PLAIN_WORD.fullmatch(word) and (quoted or word not in NO_SAFE_BREAK):
            cuts.append(end.end())
    return cuts


def syntok_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph as syntok's segmenter finds them: raw text slices, whitespace normalized."""
    sentences = []
    for para in segmenter.analyze(paragraph):
        for sentence in para:
            start, last = sentence[0].offset, sentence[-1]
            sentences.append(clean_space(paragraph[start:last.offset + len(last.value)]))
    return [s for s in sentences if s]


def word_tokens(sentence: str) -> list[str]:
    """Word and punctuation tokens of one sentence (NLTK Treebank rules; curly quotes made straight first)."""
    text = straight_quotes(sentence)
    tokens = (_PLAIN if len(text) <= PLAIN_LIMIT and plain_checked(text) else _TOKENIZER).tokenize(text)
    return ['"' if token in ("``", "''") else token for token in tokens]


def straight_quotes(text: str) -> str:
    """`text` with its curly quotes made straight (`QUOTE_MARKS`)."""
    for curly, straight in QUOTE_MARKS.items():
        if curly in text:
            text = text.replace(curly, straight)
    return text


def _plain(rule: tuple) -> tuple:
    """An NLTK tokenizer rule (pattern, replacement) with its pattern compiled by the standard `re` engine."""
    pattern, replacement = rule
    return re.compile(pattern.pattern, pattern.flags & (re.I | re.M | re.S | re.U | re.X | re.A)), replacement


class FinalPeriod:
    """One of NLTK's rules for a sentence's final period, whose pattern ('([^\\.])(\\.)([...]*)\\s*$', no MULTILINE)
    can match only a character other than a period, the text's last period, then closing brackets, quotes and
    spaces up to the end: `sub` runs it on the text from the character before the last period, which gives the
    same result as running it on the whole text, without trying every position."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern

    def sub(self, replacement: str, text: str) -> str:
        """`text` with the rule's match, if any, replaced as `re.Pattern.sub` replaces it."""
        last = text.rfind(".")
        return text[:last - 1] + self.pattern.sub(replacement, text[last - 1:]) if last >= 1 else text


class Spaces:
    """NLTK's rule making each run of whitespace one space (pattern '\\s+', replacement ' '), by splitting and
    joining: `re`'s \\s and `str.split` agree on what whitespace is (`str.isspace`)."""

    @staticmethod
    def sub(replacement: str, text: str) -> str:
        """`text` with each run of whitespace made `replacement`."""
        inner = replacement.join(text.split())
        if not inner:
            return replacement if text else ""
        return (replacement if text[0].isspace() else "") + inner + (replacement if text[-1].isspace() else "")


class PlainNLTKWordTokenizer(NLTKWordTokenizer):
    """NLTK's `NLTKWordTokenizer`, giving the same tokens faster for text whose characters both regular expression
    engines classify alike (`plain_checked`); `word_tokens` uses NLTK's tokenizer itself for any other text and for
    long text. Two changes, neither of which changes a token:
    - NLTK's patterns run on Python's `re` engine, about twice as fast as nltk's ReDoS-guarded `regex` wrapper;
    - `tokenize` skips a rule when the text (as the earlier rules left it) lacks every string the rule's pattern
      needs in order to match (`NEEDS`), which is most rules for most sentences;
    - the two rules for a sentence's final period look only at the text from the character before its last period
      (`FinalPeriod`), and the rule making each run of spaces one space splits and joins (`Spaces`)."""

    STARTING_QUOTES = [_plain(rule) for rule in NLTKWordTokenizer.STARTING_QUOTES]
    ENDING_QUOTES = [(Spaces() if pattern.pattern == r"\s+" else pattern, replacement)
                     for pattern, replacement in map(_plain, NLTKWordTokenizer.ENDING_QUOTES)]
    PUNCTUATION = [(FinalPeriod(pattern) if i in (0, 6) else pattern, replacement)
                   for i, (pattern, replacement) in enumerate(map(_plain, NLTKWordTokenizer.PUNCTUATION))]
    PARENS_BRACKETS = _plain(NLTKWordTokenizer.PARENS_BRACKETS)
    DOUBLE_DASHES = _plain(NLTKWordTokenizer.DOUBLE_DASHES)
    # For each rule, in NLTK's order, what its pattern needs in order to match: one of the characters of a string,
    # or one of the substrings of a tuple ("" for a rule that always runs).
    NEEDS = {"STARTING_QUOTES": ("«“‘„`", '"', "`", "\"'", "'"),
             "PUNCTUATION": (".", ":,", ":,", ("..",), ";@#$%&", "\u2012\u2013\u2014\u2015", ".", "?!", ("' ",),
                             "*"),
             "ENDING_QUOTES": ("»”’", "'", '"', "", ("' ", "'s ", "'S ", "'m ", "'M ", "'d ", "'D "),
                               ("'ll ", "'LL ", "'re ", "'RE ", "'ve ", "'VE ", "n't ", "N'T "))}
    # Every contraction pattern (NLTK's CONTRACTIONS2 and 3, case ignored) needs one of these words to match.
    CONTRACTION_WORDS = ("cannot", "d'ye", "gimme", "gonna", "gotta", "lemme", "more'n", "wanna", "'tis", "'twas")
    CONTRACTION = re.compile("(?i)" + "|".join(CONTRACTION_WORDS))

    def tokenize(self, text: str) -> list[str]:
        """Word and punctuation tokens of `text`, as `NLTKWordTokenizer.tokenize` gives them."""
        for group in ("STARTING_QUOTES", "PUNCTUATION"):
            text = _apply(getattr(self, group), self.NEEDS[group], text)
        text = _apply([self.PARENS_BRACKETS, self.DOUBLE_DASHES], ("()[]{}<>", "-"), text)
        text = _apply(self.ENDING_QUOTES, self.NEEDS["ENDING_QUOTES"], " " + text + " ")
        if self.may_contract(text):
            for regexp in self.CONTRACTIONS2 + self.CONTRACTIONS3:
                text = regexp.sub(r" \1 \2 ", text)
        return text.split()

    def may_contract(self, text: str) -> bool:
        """False if no contraction pattern can match `text`. ASCII text is lower-cased and searched for
        `CONTRACTION_WORDS` (the same as ignoring case there); other text is searched by `re` ignoring case (which
        also matches, for example, 'ſ' for 's')."""
        if text.isascii():
            lowered = text.lower()
            return any(map(lowered.__contains__, self.CONTRACTION_WORDS))
        return self.CONTRACTION.search(text) is not None


def _apply(rules: list[tuple], needs: tuple[str, ...], text: str) -> str:
    """`text` after each (pattern, replacement) rule in turn, skipping a rule when `text` (as the earlier rules
    left it) contains none of the characters of its `needs` string, or none of the substrings of its `needs`
    tuple ('' for always)."""
    for (regexp, substitution), needed in zip(rules, needs, strict=True):
        if not needed or any(map(text.__contains__, needed)):
            text = regexp.sub(substitution, text)
    return text


_PLAIN = PlainNLTKWordTokenizer()


@cache
def _unchecked_character() -> re.Pattern:
    """Pattern matching a character outside `CHECKED_RANGES` or one that `re` and `regex` classify differently
    (as a word character, space or digit, or when matching an ASCII letter ignoring case): what NLTK's patterns
    depend on."""
    probes = [r"\w", r"\s", r"\d"] + [f"(?i){letter}" for letter in "abcdefghijklmnopqrstuvwxyz"]
    candidates = "".join(chr(c) for low, high in CHECKED_RANGES for c in range(low, high + 1))
    differ = set().union(*(set(re.findall(p, candidates)) ^ set(regex.findall(p, candidates)) for p in probes))
    return re.compile("[^" + "".join(re.escape(ch) for ch in candidates if ch not in differ) + "]")


def plain_checked(text: str) -> bool:
    """True if `PlainNLTKWordTokenizer` tokenizes `text` exactly as NLTK does: every character is one both regular
    expression engines classify alike."""
    return _unchecked_character().search(text) is None


def is_word(token: str) -> bool:
    """True if `token` contains a letter or digit (a word or number, not punctuation)."""
    return WORD_CHAR.search(token) is not None


@cache
def term(token: str) -> str | None:
    """The term of one word token: lower-cased, if it contains a letter and is neither an English stop word nor a
    clitic; else None. Memoized per distinct token."""
    lowered = token.lower()
    keep = any(ch.isalpha() for ch in lowered) and lowered not in STOP_WORDS and lowered[0].isalnum()
    return lowered if keep else None


def terms(tokens: list[str]) -> list[str]:
    """Term view of word tokens: lower-cased, containing a letter, not an English stop word nor a clitic."""
    return [t for t in map(term, tokens) if t is not None]


def words(tokens: list[str]) -> list[str]:
    """Word tokens (punctuation dropped), case kept: what 'tokens' counts in the statistics."""
    return [token for token in tokens if WORD_CHAR.search(token)]
