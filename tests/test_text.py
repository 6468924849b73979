"""Sentence splitting, word tokens and the term view."""
import random
import re

import pytest

from analysis.text import (GLUE_HINT, GLUED, clean_space, is_word, split_sentences, straight_quotes, terms, word_tokens,
                           words)


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
    assert terms(word_tokens("Wallace isn't sure they'd go.")) == ["wallace", "sure"]  # no "n't", "'d"


def test_terms_drop_the_pieces_the_tokenizer_leaves_of_contractions():
    tokens = word_tokens("Kyiv can't and won't yield; they're gonna hold, ain't they?")
    assert "ca" in tokens and "wo" in tokens and "gon" in tokens  # what NLTK's tokenizer leaves
    assert terms(tokens) == ["kyiv", "yield", "hold"]


def test_words_drop_only_punctuation():
    assert words(["He", ",", "said", '"', "2014", "'s", "."]) == ["He", "said", "2014", "'s"]
    assert is_word("1.5km") and not is_word("...")


@pytest.mark.parametrize("paragraph, expected", [
    ('Florida Gov. Ron DeSantis called it a "territorial dispute." He added more.',
     ['Florida Gov. Ron DeSantis called it a "territorial dispute."', "He added more."]),
    ("He met Sen. Lindsey Graham and Lt. Gen. Mark Hertling. Then Col. Smith spoke.",
     ["He met Sen. Lindsey Graham and Lt. Gen. Mark Hertling.", "Then Col. Smith spoke."]),
    ("Rep. Smith spoke. Gen. Milley agreed.", ["Rep. Smith spoke.", "Gen. Milley agreed."]),
    ("It was said by Zelanski.- It was a hard day.", ["It was said by Zelanski.", "- It was a hard day."]),
    ('The development of military pacts".This is bad.', ['The development of military pacts".', "This is bad."]),
    ("He said “no.”Then he left.", ["He said “no.”", "Then he left."]),
    ('He said "they ignore them."Referring to it, he added "more."',
     ['He said "they ignore them."', 'Referring to it, he added "more."']),
    ('She spoke."The war must end," he said.', ['She spoke.', '"The war must end," he said.']),
    ("It matters.XI Jinping agreed.", ["It matters.", "XI Jinping agreed."]),
    ('said the analyst (CNA)."While it is true, it is not," he said.',
     ["said the analyst (CNA).", '"While it is true, it is not," he said.']),
    ("It was argued (see page 4).More followed.", ["It was argued (see page 4).", "More followed."]),
    ('"They want dominance in the world. "', ['"They want dominance in the world. "']),
    ("Visit example.com today. U.S. forces arrived. The 2.5km line.",
     ["Visit example.com today.", "U.S. forces arrived.", "The 2.5km line."]),
])
def test_split_mends_title_abbreviations_and_glued_sentences(paragraph, expected):
    assert split_sentences(paragraph) == expected


def test_the_glue_hint_is_found_wherever_a_glued_sentence_is_cut():
    rng = random.Random(17)
    alphabet = 'aZb.!?"”“-–— Ce)'
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(100_000)]
    glued = [t for t in texts if GLUED.search(t)]
    assert len(glued) > 100 and all(GLUE_HINT.search(t) for t in glued)
