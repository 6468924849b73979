"""Dictionary lookup (`analysis.lookup`): tokens and patterns as matched, spans chosen."""
import pytest

from analysis.lookup import longest_spans, match_tokens, pattern_tokens


def test_match_tokens_lowercase_and_split_hyphenated_words():
    assert match_tokens(["A", "de-escalation", "China-Russia", "12-point", "de", "–", "escalation"]) == [
        "a", "de", "-", "escalation", "china", "-", "russia", "12", "-", "point", "de", "-", "escalation"]
    assert match_tokens(["US-led"], lower=False) == ["US", "-", "led"]


def test_pattern_tokens_mark_stems_and_reject_bad_wildcards():
    assert pattern_tokens("negotiat*") == (("negotiat", True),)
    assert pattern_tokens("de-escalat*") == (("de", False), ("-", False), ("escalat", True))
    assert pattern_tokens("Peace talks") == (("peace", False), ("talks", False))
    for bad in ("*", "ne*go", "**"):
        with pytest.raises(ValueError):
            pattern_tokens(bad)


def test_longest_spans_read_left_to_right_taking_the_longest():
    assert longest_spans([(0, 1), (0, 2), (1, 3), (3, 4)]) == [(0, 2), (3, 4)]


def test_a_gap_skips_up_to_three_words_but_never_punctuation():
    from analysis.lookup import pattern_matches
    assert pattern_tokens("end ... war*") == (("end", False), ("...", False), ("war", True))
    tokens = match_tokens("to end the war , end Russia 's brutal war , end it . war , end a b c d war".split())
    assert [(s, e) for s, e, _ in pattern_matches(tokens, ("end ... war*",))] == [(1, 4), (5, 10)]
    assert [(s, e) for s, e, _ in pattern_matches(match_tokens(["end", "war"]), ("end ... war",))] == [(0, 2)]
    assert [(s, e) for s, e, _ in pattern_matches(match_tokens(["end", "full-scale", "war"]), ("end ... war",))] == [
        (0, 5)]
    for bad in ("... war", "end ...", "end ... ... war"):
        with pytest.raises(ValueError, match="'...' may only stand between two words"):
            pattern_tokens(bad)
