"""Sentence splitting, word tokens and the term view."""
import random
import re

import pytest

from analysis.text import (ONE_SENTENCE, SYNTOK_OPENING_BRACKETS, SYNTOK_TERMINALS, clean_space, is_word,
                           raw_sentences, safe_pieces, split_sentences, straight_quotes, syntok_sentences, terms,
                           without_inner_stops, word_tokens, words)


def test_split_keeps_decimals_dates_and_abbreviations_inside_sentences():
    paragraph = ("Reuters reporters about 1.5km from the frontline heard artillery. China on Tuesday (March 7, 2023) "
                 "said so. Russia's Feb. 24 invasion began at 5 a.m. local time.")
    assert split_sentences(paragraph) == [
        "Reuters reporters about 1.5km from the frontline heard artillery.",
        "China on Tuesday (March 7, 2023) said so.",
        "Russia's Feb. 24 invasion began at 5 a.m. local time."]


def test_split_divides_a_multi_sentence_quote_at_sentence_ends():
    quote = "“Sometimes we see groups (Russian soldiers). We strike,” said Marian, 21."
    assert split_sentences(quote) == ["“Sometimes we see groups (Russian soldiers).", "We strike,” said Marian, 21."]


def test_whitespace_and_no_break_spaces_become_single_spaces():
    assert clean_space(" a\u00a0 b\n c ") == "a b c"
    assert split_sentences("Bakhmut.\u00a0 ") == ["Bakhmut."]


def test_straight_quotes_replaces_each_curly_quote():
    assert straight_quotes("‘a’ “b” 5″ ’s") == "'a' \"b\" 5\" 's"
    assert straight_quotes("plain 'text'") == "plain 'text'"


def test_clean_space_collapses_every_kind_of_whitespace():
    spaces = "".join(chr(c) for c in range(0x110000) if re.fullmatch(r"\s", chr(c)))
    assert len(spaces) > 25 and clean_space(spaces + "a" + spaces + "b c\u00a0") == "a b c"


def test_word_tokens_treat_curly_and_straight_quotes_alike():
    assert word_tokens("Ukraine’s “back channel”") == word_tokens('Ukraine\'s "back channel"') == [
        "Ukraine", "'s", '"', "back", "channel", '"']


def test_word_tokens_keep_hyphenated_words_and_decimals():
    assert word_tokens("a de-escalation about 1.5km away.") == ["a", "de-escalation", "about", "1.5km", "away", "."]


def test_terms_lowercase_and_drop_stop_words_punctuation_numbers_and_clitics():
    tokens = word_tokens("China's 12-point plan is not about the 2014 war, it said.")
    assert terms(tokens) == ["china", "12-point", "plan", "war", "said"]


def test_words_drop_only_punctuation():
    assert words(["He", ",", "said", '"', "2014", "'s", "."]) == ["He", "said", "2014", "'s"]
    assert is_word("1.5km") and not is_word("...")


def test_syntok_constants_are_syntoks_own():
    """The one-sentence shortcut relies on syntok's terminal and opening-bracket sets: an upgrade that changes
    them must fail here."""
    from syntok._segmentation_states import State

    assert set(SYNTOK_OPENING_BRACKETS) == State.opening_brackets
    assert set(SYNTOK_TERMINALS) | {"..."} == State.terminals


@pytest.mark.parametrize("paragraph, whole", [
    ("Ukraine vowed to defend Bakhmut.", True),
    ("“We will not give up Bakhmut,” he said.", True),
    ("He said: “Stop the war!”", True),
    ("Headline with no closing punctuation", True),
    ("Two sentences. Here.", False),
    ("An (aside) in brackets.", False),
    ("Ends with a space then a quote. '", False),
    ("The U.S. said so", False),
    ("a\u200bb.", False),
])
def test_one_sentence_shortcut_applies_only_where_syntok_cannot_split(paragraph, whole):
    assert bool(ONE_SENTENCE.fullmatch(paragraph)) == whole
    assert raw_sentences(paragraph) == syntok_sentences(paragraph)


def test_without_inner_stops_drops_only_stops_syntok_never_splits_at():
    assert without_inner_stops("Mr. Putin met Ms. Baerbock at 23.14 for $1.5bn.") == (
        "Mr Putin met Ms Baerbock at 2314 for $15bn.")
    assert without_inner_stops("Mr. The plan. Dr. A. 2.a. Gen. Smith") == "Mr. The plan. Dr. A. 2.a. Gen. Smith"
    for paragraph in ("Mr. Putin met Ms. Baerbock at 23.14 for $1.5bn.", "He saw Mr. The Rock."):
        assert raw_sentences(paragraph) == syntok_sentences(paragraph)


def test_safe_pieces_cut_only_after_a_plain_word_before_a_capital_or_opening_quote():
    paragraph = ("Ukraine vowed to fight. “We stay,” he said. Mr. Qin met Gen. Smith at 5 p.m. Talks ended? Yes. "
                 "They met in 2022. Then Kyiv. A. B. Smith spoke. In Bakhmut. it rained.")
    assert safe_pieces(paragraph) == ["Ukraine vowed to fight.", " “We stay,” he said.",
                                      " Mr. Qin met Gen. Smith at 5 p.m. Talks ended?", " Yes.",
                                      " They met in 2022. Then Kyiv.", " A. B. Smith spoke.",
                                      " In Bakhmut. it rained."]
    assert safe_pieces("They met (in Kyiv). Then left.") == ["They met (in Kyiv). Then left."]
    assert safe_pieces("They met in Kyiv. Then (briefly) left. Talks ended.") == [
        "They met in Kyiv.", " Then (briefly) left. Talks ended."]  # cut only before the first opening bracket
    assert safe_pieces("He said no. A5 was shut. No. B52s flew.") == ["He said no. A5 was shut.", " No. B52s flew."]
    assert safe_pieces("He called it “hell”. They left “at once”! “Go.” Mr. “X”. Y") == [
        "He called it “hell”.", " They left “at once”!", " “Go.” Mr. “X”. Y"]
    assert raw_sentences("He said no. A5 was shut.") == syntok_sentences("He said no. A5 was shut.") == [
        "He said no. A5 was shut."]
    assert safe_pieces("He said gen. Smith left.") == ["He said gen. Smith left."]  # 'gen' is a syntok abbreviation


def test_split_sentences_equals_syntok_on_random_paragraphs():
    """30,000 random paragraphs of words, capitals, numbers, abbreviations, terminals, quotes, brackets and odd
    spaces: the shortcuts never change syntok's answer."""
    pieces = ["war", "Bakhmut", "the", "U.S.", "Mr.", "mr.", "gen.", "1.5km", "Feb.", "24", "a.m.", ".", "!", "?",
              ";", "...", ",", "“", "”", "‘", "’", '"', "'", "(", ")", "[", "]", " ", "  ", "\n", "\u00a0",
              "\u200b", "\x1c", "\t", "–", "—", ":", "Qin", "said", "peace.", "talks!", "fire?”", "ends.’", "He",
              "no.", "no", "5", "X.", "x.", "II.", "iv.", "The", "A", "b.", "It's.", "well-known.", "de.", "so.\"'",
              "Gen.", "Kyiv.", "Jan.", "Mar.", "March", "2022.", "Xi.", "XI.", "Ms.", "etc.", "No.", "A5", "hell”.",
              "“hell”.", "said”!", "x”.", "no”.", "”.", "means\".", "U.S.”.", "“Hell”?", "Mr. Putin", "Ms. The",
              "Dr. A", "Mrs. McDonald", "Mr. Putin's", "23.14", "$1.349", "9.9%", "x2.5", "3.", ".5", "Dr", "2.a"]
    rng = random.Random(20230317)
    for _ in range(30_000):
        paragraph = "".join(rng.choice(pieces) + rng.choice(["", " ", " ", " "]) for _ in range(rng.randint(0, 14)))
        assert raw_sentences(paragraph) == syntok_sentences(paragraph), repr(paragraph)


@pytest.mark.parametrize("paragraph, expected", [
    ('Florida Gov. Ron DeSantis called it a "territorial dispute." He added more.',
     ['Florida Gov. Ron DeSantis called it a "territorial dispute."', "He added more."]),
    ("He met Sen. Lindsey Graham and Lt. Gen. Mark Hertling. Then Col. Smith spoke.",
     ["He met Sen. Lindsey Graham and Lt. Gen. Mark Hertling.", "Then Col. Smith spoke."]),
    ("Rep. Smith spoke. Gen. Milley agreed.", ["Rep. Smith spoke.", "Gen. Milley agreed."]),
    ("It was said by Zelanski.- It was a hard day.", ["It was said by Zelanski.", "- It was a hard day."]),
    ('The development of military pacts".This is bad.', ['The development of military pacts".', "This is bad."]),
    ("He said “no.”Then he left.", ["He said “no.”", "Then he left."]),
    ("Visit example.com today. U.S. forces arrived. The 2.5km line.",
     ["Visit example.com today.", "U.S. forces arrived.", "The 2.5km line."]),
])
def test_split_mends_title_abbreviations_and_glued_sentences(paragraph, expected):
    assert split_sentences(paragraph) == expected
