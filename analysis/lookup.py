"""Dictionary lookup: the YAML dictionaries read, and their patterns (words, phrases, stems ending in `*`) matched
in a sentence's word tokens. Used by `frames` (lower-cased matching) and `actors` (case-sensitive matching).

Tokens are matched with hyphenated words split at the hyphen ("de-escalation" → de - escalation, en dash too);
a pattern is tokenized like a sentence (`text.word_tokens`), a word ending in `*` matches any token it begins, and
`...` between two words matches up to `GAP` words ("end ... war": end the war, end Russia's war), never punctuation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from analysis.errors import InputError
from analysis.text import word_tokens

HYPHEN = re.compile(r"(?<=[^\W_])([-–])(?=[^\W_])")
GAP = 3                              # words a `...` in a pattern may skip
GAP_MARK = ("...", False)            # a `...` in a compiled pattern
GAP_WORD = re.compile(r"[^\W_]|^-$")   # a token a gap may skip: one with a letter or digit, or a hyphen


def read_yaml(path: Path, what: str):
    """Parsed YAML of the dictionary file `path` (`what` names it in messages, e.g. 'frame dictionary');
    InputError if it is missing or not YAML."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"{path}: cannot read the {what} ({error.strerror})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InputError(f"{path}: not valid YAML{where} ({getattr(error, 'problem', error)})") from None



def match_tokens(tokens: list[str], *, lower: bool = True) -> list[str]:
    """Tokens as matched: lower-cased (if `lower`), hyphenated words split into word, '-', word (en dash too)."""
    return [part for token in tokens for part in _match_parts(token, lower)]


@cache
def _match_parts(token: str, lower: bool) -> tuple[str, ...]:
    """One token as matched (see `match_tokens`), memoized per distinct token."""
    return tuple(("-" if t == "–" else t.lower() if lower else t) for t in HYPHEN.split(token) if t)


@cache
def pattern_tokens(pattern: str, *, lower: bool = True) -> tuple[tuple[str, bool], ...]:
    """A term as (token, is_stem) pairs, tokenized like sentences; a word ending in '*' is a stem (prefix), a
    `...` between words is `GAP_MARK`. Raises ValueError for an empty pattern, a '*' that does not end a word, or a
    `...` at either end or twice in a row."""
    pairs: list[tuple[str, bool]] = []
    for piece in pattern.split():
        if piece == "...":
            if not pairs or pairs[-1] == GAP_MARK:
                raise ValueError("'...' may only stand between two words")
            pairs.append(GAP_MARK)
            continue
        stem = piece.endswith("*")
        core = piece[:-1] if stem else piece
        if not core or "*" in core:
            raise ValueError("'*' may only end a word, after at least one letter")
        parts = match_tokens(word_tokens(core), lower=lower)
        pairs += [(p, stem and i == len(parts) - 1) for i, p in enumerate(parts)]
    if not pairs:
        raise ValueError("the pattern is empty")
    if pairs[-1] == GAP_MARK:
        raise ValueError("'...' may only stand between two words")
    return tuple(pairs)


def _match_end(tokens: list[str], start: int, pattern: tuple[tuple[str, bool], ...]) -> int | None:
    """The end of the shortest match of `pattern` in `tokens` beginning at position `start`, or None."""
    if not pattern:
        return start
    (p, stem), rest = pattern[0], pattern[1:]
    if (p, stem) == GAP_MARK:
        for skip in range(GAP + 1):
            if skip and (start + skip > len(tokens) or not GAP_WORD.search(tokens[start + skip - 1])):
                return None
            end = _match_end(tokens, start + skip, rest)
            if end is not None:
                return end
        return None
    if start >= len(tokens) or not (tokens[start].startswith(p) if stem else tokens[start] == p):
        return None
    return _match_end(tokens, start + 1, rest)


@dataclass
class PatternIndex:
    """Patterns compiled and indexed by first token: exact first tokens; stems by their text, each with its
    position among the stems; the stem lengths; and a memo of the candidates found for each distinct token."""

    exact: dict[str, list]
    stems: dict[str, list]
    lengths: tuple[int, ...]
    memo: dict[str, list]

    def candidates(self, token: str) -> list:
        """(pattern, compiled) pairs whose first token matches `token`: exact ones first, then stems (prefixes of
        the token) in pattern order."""
        found = self.memo.get(token)
        if found is None:
            stems = sorted(hit for n in self.lengths for hit in self.stems.get(token[:n], []) if n <= len(token))
            found = self.exact.get(token, []) + [c for _, c in stems]
            self.memo[token] = found
        return found


@cache
def pattern_index(patterns: tuple[str, ...], lower: bool) -> PatternIndex:
    """`patterns` compiled and indexed by first token (see `PatternIndex`)."""
    exact: dict[str, list] = {}
    stems: dict[str, list] = {}
    for pattern in patterns:
        compiled = pattern_tokens(pattern, lower=lower)
        first, is_stem = compiled[0]
        if is_stem:
            stems.setdefault(first, []).append((sum(map(len, stems.values())), (pattern, compiled)))
        else:
            exact.setdefault(first, []).append((pattern, compiled))
    return PatternIndex(exact, stems, tuple(sorted({len(stem) for stem in stems})), {})


def pattern_matches(tokens: list[str], patterns: tuple[str, ...], *,
                    lower: bool = True) -> list[tuple[int, int, str]]:
    """Every (start, end, pattern) where one of `patterns` matches `tokens` (already `match_tokens`-ed)."""
    return index_matches(tokens, pattern_index(tuple(patterns), lower))


def index_matches(tokens: list[str], index: PatternIndex) -> list[tuple[int, int, str]]:
    """`pattern_matches` with the patterns already indexed."""
    found, memo = [], index.memo
    for i, token in enumerate(tokens):
        candidates = memo.get(token)
        for pattern, c in index.candidates(token) if candidates is None else candidates:
            end = i + 1 if len(c) == 1 else _match_end(tokens, i + 1, c[1:])
            if end is not None:
                found.append((i, end, pattern))
    return found


def longest_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans, reading left to right and taking the longest span at each start."""
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda s: (s[0], s[0] - s[1])):
        if not chosen or start >= chosen[-1][1]:
            chosen.append((start, end))
    return chosen


def matched_words(tokens: list[str], span: tuple[int, int]) -> str:
    """The words of a matched span as one string, hyphens rejoined ("de-escalation")."""
    return " ".join(tokens[span[0]:span[1]]).replace(" - ", "-")
