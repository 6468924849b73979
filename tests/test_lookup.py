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
