"""Faster equivalents of library calls, each behind the interface of the call it replaces, with one switch.

The study's per-article work spends most of its time in a few libraries; each has an equivalent here that gives
the same result faster (per-article scoring 1.7–2.2x faster, measured), checked against the library by
`tests/test_shortcuts.py` on the seeds, the news corpus and random text:
- syntok's sentence segmenter: `sentence_slices` runs syntok only on the pieces of a paragraph its rules leave
  open (`safe_cuts`, `ONE_SENTENCE`, `without_inner_stops`);
- NLTK's Treebank word tokenizer: `PlainNLTKWordTokenizer` (its patterns on Python's `re`, their replacements as
  functions, rules skipped when they cannot match);
- vaderSentiment's analyzer: `WindowedVader` (negation and idiom checks on the words they read);
- spaCy's attribute ruler (`analysis.parse`): `RulerMatches` finds the matches of its patterns without the Matcher.

The switch: `ANALYSIS_SHORTCUTS=0` in the environment, or `shortcuts=False` passed to `sentence_slices`,
`word_tokenizer` or `vader`, runs the libraries themselves (`shortcuts=True` forces the equivalents). The switch
also makes `analysis.parse` run spaCy's attribute ruler as spaCy does, and its entity recognizer on every parse,
not only on those whose entities attribution reads (`tests/test_parse.py` checks the speakers are the same). A library
upgrade that changes one of these calls fails the equivalence tests; until the equivalent is re-derived, run
with `ANALYSIS_SHORTCUTS=0`.
"""
from __future__ import annotations

import os
import re
from functools import cache
from typing import Callable

import regex
from nltk.tokenize import NLTKWordTokenizer
from syntok import segmenter
from syntok._segmentation_states import State
from vaderSentiment.vaderSentiment import BOOSTER_DICT, N_SCALAR, NEGATE, SentiText, SentimentIntensityAnalyzer

SWITCH = "ANALYSIS_SHORTCUTS"  # environment variable: "0" runs the libraries themselves


def enabled(shortcuts: bool | None = None) -> bool:
    """Whether to use the equivalents: `shortcuts` if given, else unless the environment sets
    ANALYSIS_SHORTCUTS=0."""
    return os.environ.get(SWITCH, "1") != "0" if shortcuts is None else shortcuts


# --- syntok's sentence segmenter --------------------------------------------------------------------------------

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
DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
TITLE_STOP = re.compile(r"(?<![^ ])(?:Mr|Mrs|Ms|Dr)(\.)(?= ([A-Z][a-z]+)(?:[ ,;:'\u2019]|$))")

def sentence_slices(paragraph: str, *, shortcuts: bool | None = None) -> list[str]:
    """syntok's sentences of one paragraph as raw text slices, in order (the study normalizes their whitespace
    and drops blank ones, `text.split_sentences`): with the shortcuts (see `enabled`), syntok runs only on the
    pieces its rules leave open, and a piece it cannot split is one slice (spaces around it kept)."""
    if not enabled(shortcuts):
        return syntok_slices(paragraph)
    slices = []
    for piece in safe_pieces(paragraph):
        if ONE_SENTENCE.fullmatch(piece) or ONE_SENTENCE.fullmatch(without_inner_stops(piece)):
            slices.append(piece)
        else:
            slices += syntok_slices(piece)
    return slices


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


def syntok_slices(paragraph: str) -> list[str]:
    """syntok's sentences of one paragraph (`syntok.segmenter.analyze`), each as the raw text from its first
    token's first character to its last token's last: the library path of `sentence_slices`."""
    return [paragraph[sentence[0].offset:sentence[-1].offset + len(sentence[-1].value)]
            for para in segmenter.analyze(paragraph) for sentence in para]


# --- NLTK's word tokenizer --------------------------------------------------------------------------------------

def word_tokenizer(shortcuts: bool | None = None) -> NLTKWordTokenizer:
    """NLTK's Treebank word tokenizer (`NLTKWordTokenizer`, no `nltk_data` needed), or with the shortcuts (see
    `enabled`) `PlainNLTKWordTokenizer`, which gives the same tokens faster."""
    return _PLAIN if enabled(shortcuts) else _NLTK


PLAIN_LIMIT = 2000  # characters: longer text is tokenized by NLTK's own, time-limited patterns
CHECKED_RANGES = ((0x09, 0x0D), (0x20, 0x7E), (0xA0, 0x52F), (0x2000, 0x206F), (0x20A0, 0x20C0), (0x2100, 0x214F))


GROUP_REFERENCE = re.compile(r"\\(?:(\d+)|g<(\d+)>)")  # a group reference of a replacement template: \1, \g<1>


def _plain(rule: tuple) -> tuple:
    """An NLTK tokenizer rule (pattern, replacement) with its pattern compiled by the standard `re` engine and its
    replacement template made a function of the match (`expansion`)."""
    pattern, replacement = rule
    return (re.compile(pattern.pattern, pattern.flags & (re.I | re.M | re.S | re.U | re.X | re.A)),
            expansion(replacement))


def expansion(template: str) -> str | Callable[[re.Match], str]:
    """A replacement template of `re.sub` with one to three group references (\\1 or \\g<1>) and no other
    backslash as a function of the match that gives the same string (a group that took no part in the match gives
    ''): on Python 3.11, `re.sub` calls it about three times faster than it expands the template. Any other
    template is returned as it is (one without a reference is copied by `re.sub` without expanding)."""
    parts = GROUP_REFERENCE.split(template)
    text, groups = parts[0::3], [int(a or b) for a, b in zip(parts[1::3], parts[2::3])]
    if not 1 <= len(groups) <= 3 or any("\\" in piece for piece in text):
        return template
    if len(groups) == 1:
        (a,), (t0, t1) = groups, text
        return lambda m: t0 + (m[a] or "") + t1
    if len(groups) == 2:
        (a, b), (t0, t1, t2) = groups, text
        return lambda m: t0 + (m[a] or "") + t1 + (m[b] or "") + t2
    (a, b, c), (t0, t1, t2, t3) = groups, text
    return lambda m: t0 + (m[a] or "") + t1 + (m[b] or "") + t2 + (m[c] or "") + t3


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
    engines classify alike (`plain_checked`), and NLTK's tokenizer itself for any other text and for long text.
    Four changes, none of which changes a token:
    - NLTK's patterns run on Python's `re` engine, about twice as fast as nltk's ReDoS-guarded `regex` wrapper;
    - their replacement templates with group references are functions of the match (`expansion`);
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
        """Word and punctuation tokens of `text`, as `NLTKWordTokenizer.tokenize` gives them (by NLTK's tokenizer
        itself for text longer than `PLAIN_LIMIT` or not `plain_checked`)."""
        if len(text) > PLAIN_LIMIT or not plain_checked(text):
            return _NLTK.tokenize(text)
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


_NLTK = NLTKWordTokenizer()
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


# --- VADER --------------------------------------------------------------------------------------------------------

def vader(shortcuts: bool | None = None) -> SentimentIntensityAnalyzer:
    """vaderSentiment's analyzer, or with the shortcuts (see `enabled`) `WindowedVader`, which gives the same scores
    faster; each built once (loading the lexicon takes a moment)."""
    return _analyzer(enabled(shortcuts))


@cache
def _analyzer(windowed: bool) -> SentimentIntensityAnalyzer:
    """`WindowedVader` if `windowed`, else vaderSentiment's own analyzer, built once each."""
    return WindowedVader() if windowed else SentimentIntensityAnalyzer()


class WindowedVader(SentimentIntensityAnalyzer):
    """vaderSentiment's analyzer, giving the same scores faster:
    - VADER's negation and idiom checks lower-case every word of the sentence for each word they look around (time
      growing with the square of the sentence's length) but read only the three words before it and two after:
      the idiom check is handed just that window, with the position shifted to match, and the negation check is
      rewritten to lower-case only the words it reads and to look them up in a set (`is_negation`);
    - VADER first rebuilds the text character by character to replace emojis by their descriptions; text without
      an emoji character is scored as it is (`polarity_scores`);
    - a word outside the lexicon gets valence 0 without the call that would give it 0, and the contrast check runs
      only on sentences with 'but'."""

    def __init__(self):
        super().__init__()
        self.emoji_characters = frozenset(e for e in self.emojis if len(e) == 1)  # VADER looks up one at a time

    def polarity_scores(self, text):
        """VADER's scores of `text`: dict neg, neu, pos, compound (see the module docstring)."""
        if not self.emoji_characters.isdisjoint(text):
            return super().polarity_scores(text)
        text = text.strip()
        sentitext, sentiments = SentiText(text), []
        words = sentitext.words_and_emoticons
        lowered = [word.lower() for word in words]
        for i, item in enumerate(words):  # from here on, vaderSentiment 3.3.2's polarity_scores
            if lowered[i] in BOOSTER_DICT or lowered[i] not in self.lexicon:
                sentiments.append(0)
            elif i < len(words) - 1 and lowered[i] == "kind" and lowered[i + 1] == "of":
                sentiments.append(0)
            else:
                sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        return self.score_valence(self._but_check(words, sentiments) if "but" in lowered else sentiments, text)

    @staticmethod
    def _negation_check(valence, words_and_emoticons, start_i, i):
        """VADER's negation check of word `i` (vaderSentiment 3.3.2's `_negation_check`, which lower-cases the whole
        sentence and, through `negated`, scans the negation list for each word it looks at): 'never so/this'
        boosts, 'without doubt' keeps, a negation `start_i` + 1 words before negates."""
        before = [words_and_emoticons[i - k].lower() for k in range(1, start_i + 2)]  # before[k - 1]: k words back
        if start_i == 1 and before[1] == "never" and before[0] in ("so", "this"):
            return valence * 1.25
        if start_i == 2 and (before[2] == "never" and before[1] in ("so", "this") or before[0] in ("so", "this")):
            return valence * 1.25
        if start_i and before[start_i] == "without" and "doubt" in before[:start_i]:
            return valence
        return valence * N_SCALAR if is_negation(before[start_i]) else valence

    @staticmethod
    def _special_idioms_check(valence, words_and_emoticons, i):
        """VADER's idiom check of word `i`, on the words i-3 .. i+2 (all of them for i < 3)."""
        low = i - 3 if i >= 3 else 0
        return SentimentIntensityAnalyzer._special_idioms_check(valence, words_and_emoticons[low:i + 3], i - low)


NEGATIONS = frozenset(NEGATE)


def is_negation(word: str) -> bool:
    """True if the lower-cased `word` negates for VADER: one of its negation words, or a word with "n't"."""
    return word in NEGATIONS or "n't" in word


# --- spaCy's attribute ruler --------------------------------------------------------------------------------------

TOKEN_TESTS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # the token attributes `RulerMatches` tests
KNOWN_TOKENS = 100_000  # distinct tokens whose `RulerMatches.starts` are kept (then forgotten, and kept anew)


class RulerMatches:
    """spaCy's `AttributeRuler.match` (the Matcher run over a parsed `Doc`), for a ruler whose patterns test only
    tokens' TAG, LOWER, DEP and IS_SPACE, by a value, IN or NOT_IN a list, or (a string attribute) a REGEX, one
    pattern token per token, as all 179 patterns of the small English pipeline do: the same sorted list of
    (pattern number, match id, start, end), each once. Which patterns a token starts depends on those four
    attributes alone, so it is worked out once per distinct (tag, lower-cased text, dep, is_space) (`starts`)
    rather than by running the Matcher over every token. `for_ruler` gives None for a ruler with another kind of
    pattern."""

    def __init__(self, patterns: list[tuple[int, int, tuple[tuple, ...]]]):
        """`patterns`: (pattern number, match id, one `token_test` per token). Each is filed under the values its
        first token's tag, or else lower-cased text, must be among (`filed`), or else with the `unfiled`."""
        self.filed: tuple[dict, dict] = ({}, {})  # tag → patterns, lower-cased text → patterns
        self.unfiled: list = []
        for pattern in patterns:
            first = pattern[2][0]
            attribute = next((a for a in (0, 1) if isinstance(first[a], frozenset)), None)
            for value in first[attribute] if attribute is not None else ():
                self.filed[attribute].setdefault(value, []).append(pattern)
            if attribute is None:
                self.unfiled.append(pattern)
        self.known: dict[tuple, tuple[list, list]] = {}  # `starts` of each token seen, up to `KNOWN_TOKENS`

    @classmethod
    def for_ruler(cls, ruler) -> RulerMatches | None:
        """The `RulerMatches` of a spaCy `AttributeRuler`, or None if one of its patterns tests anything else."""
        patterns = []
        for number, entry in enumerate(ruler.patterns):
            match_id = ruler.vocab.strings[str(number)]
            for pattern in entry["patterns"]:
                tests = [token_test(token) for token in pattern]
                if not pattern or None in tests:
                    return None
                patterns.append((number, match_id, tuple(tests)))
        return cls(patterns)

    def starts(self, token: tuple) -> tuple[list, list]:
        """For a token's (tag, lower-cased text, dep, is_space): the (pattern number, match id) of the one-token
        patterns it matches, and the longer patterns whose first token it matches."""
        found = self.known.get(token)
        if found is None:
            if len(self.known) >= KNOWN_TOKENS:
                self.known.clear()
            candidates = [*self.filed[0].get(token[0], ()), *self.filed[1].get(token[1], ()), *self.unfiled]
            first = [pattern for pattern in candidates if passes(pattern[2][0], token)]
            found = self.known[token] = ([(number, match_id) for number, match_id, tests in first if len(tests) == 1],
                                         [pattern for pattern in first if len(pattern[2]) > 1])
        return found

    def __call__(self, doc) -> list[tuple[int, int, int, int]]:
        """(pattern number, match id, start, end) of each match in `doc`, sorted, as `AttributeRuler.match`."""
        tokens = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]
        found = set()
        for start, token in enumerate(tokens):
            single, longer = self.starts(token)
            found.update((number, match_id, start, start + 1) for number, match_id in single)
            for number, match_id, tests in longer:
                end = start + len(tests)
                if end <= len(tokens) and all(map(passes, tests[1:], tokens[start + 1:end])):
                    found.add((number, match_id, start, end))
        return sorted(found)


def token_test(token: dict) -> tuple | None:
    """One Matcher token pattern as a test of a token's (tag, lower-cased text, dep, is_space): for each, None (not
    tested), a frozenset of the values that pass (a value, or IN a list) or a function of the value (NOT_IN a list,
    a REGEX searched for); None for a pattern with another key or predicate."""
    if not token or set(token) - set(TOKEN_TESTS):
        return None
    tests = tuple(value_test(token.get(key), key != "IS_SPACE") for key in TOKEN_TESTS)
    return None if "invalid" in tests else tests


def value_test(value, text: bool):
    """The test of one attribute (`token_test`), "invalid" for a predicate `RulerMatches` does not know; `text`:
    whether the attribute is a string (else a bool, IS_SPACE)."""
    if value is None or isinstance(value, str if text else bool):
        return value if value is None else frozenset([value])
    if not isinstance(value, dict) or len(value) != 1:
        return "invalid"
    (predicate, argument), = value.items()
    if predicate in ("IN", "NOT_IN") and isinstance(argument, list) and all(
            isinstance(x, str if text else bool) for x in argument):
        return frozenset(argument) if predicate == "IN" else lambda found, out=frozenset(argument): found not in out
    if predicate == "REGEX" and text and isinstance(argument, str):
        return lambda found, search=re.compile(argument).search: search(found) is not None
    return "invalid"


def passes(test: tuple, token: tuple) -> bool:
    """True if a token's (tag, lower-cased text, dep, is_space) passes a `token_test`."""
    return all(check is None or (value in check if isinstance(check, frozenset) else check(value))
               for check, value in zip(test, token))
