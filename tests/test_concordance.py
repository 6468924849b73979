"""Concordance lines, dispersion positions and collocations on hand-made sentences."""
import math

import pandas as pd
import pytest

from analysis.concordance import collocations, concordance, dispersion_positions, query_patterns, sort_concordance
from analysis.text import terms, word_tokens


def sentences_table(articles: dict[str, list[str]]) -> pd.DataFrame:
    rows = [dict(article_id=a, sentence_index=i, text=s, tokens=word_tokens(s), terms=terms(word_tokens(s)))
            for a, texts in articles.items() for i, s in enumerate(texts, start=1)]
    return pd.DataFrame(rows)


TEXT = {"x": ['The crisis is driven by an "invisible hand" pushing for escalation of the conflict.',
              "Peace talks should begin.", "They urged de-escalation, not escalating threats."],
        "y": ["Talks ended. Peace", "talks resumed; Russia tried to escalate."]}


def test_query_words_wildcards_and_clitics():
    assert [p.pattern for p in query_patterns("Invisible hand")] == [r"invisible\Z", r"hand\Z"]
    wildcard = query_patterns("escalat*")[0]
    assert wildcard.match("escalation") and not wildcard.match("de-escalation")
    assert [p.pattern for p in query_patterns("Ukraine's")] == [r"ukraine\Z", r"'s\Z"]
    with pytest.raises(ValueError):
        query_patterns(" , ")


def test_kwic_phrase_with_window_reads_as_the_text_has_it():
    lines = concordance(sentences_table(TEXT), "invisible hand", window=2)
    assert lines.to_dict("records") == [dict(article_id="x", sentence_index=1, left='by an "', match="invisible hand",
                                             right='" pushing for')]
    line = lines.iloc[0]
    assert line.left + line.match + line.right == 'by an "invisible hand" pushing for'  # not 'an " invisible hand "'


def test_kwic_context_keeps_the_text_s_own_quote_marks_spaces_and_clitics():
    sentences = sentences_table({"x": ["“Russia’s ‘special operation’ goes on,” he said — and Kyiv’s forces held."]})
    line = concordance(sentences, "operation", window=None).iloc[0]
    assert line.left + line.match + line.right == sentences["text"].iloc[0]
    assert (line.left, line.match) == ("“Russia’s ‘special ", "operation")
    line = concordance(sentences, "kyiv", window=1).iloc[0]
    assert (line.left, line.match, line.right) == ("and ", "Kyiv", "’s")


def test_kwic_whole_sentence():
    line = concordance(sentences_table(TEXT), "peace talks", window=None).iloc[0]
    assert (line.left, line.match, line.right) == ("", "Peace talks", " should begin.")


def test_concordance_sorts_by_the_nearest_words_of_either_side_as_antconc_does():
    sentences = sentences_table({"x": ["Talks with Kyiv failed.", "New talks on grain began.", "Big talks ended."]})
    kwic = concordance(sentences, "talks").assign(query="talks")
    right = sort_concordance(kwic, "right")
    assert list(right["R1"]) == ["ended", "on", "with"] and list(right["R2"]) == ["", "grain", "kyiv"]
    left = sort_concordance(kwic, "left")
    assert list(left["L1"]) == ["", "big", "new"]
    assert list(sort_concordance(kwic, "position")["sentence_index"]) == [1, 2, 3]
    with pytest.raises(ValueError):
        sort_concordance(kwic, "middle")


def test_kwic_wildcard_and_hyphenated_word():
    sentences = sentences_table(TEXT)
    assert list(concordance(sentences, "escalat*")["match"]) == ["escalation", "escalating", "escalate"]
    hyphen = concordance(sentences, "de-escalation", window=1)
    assert list(hyphen["match"]) == ["de-escalation"] and list(hyphen["left"]) == ["urged "]


def test_kwic_phrase_never_crosses_a_sentence_boundary():
    lines = concordance(sentences_table(TEXT), "peace talks")
    assert list(zip(lines["article_id"], lines["sentence_index"])) == [("x", 2)]  # "Peace | talks" in y is split


def test_kwic_of_an_absent_word_is_an_empty_table():
    lines = concordance(sentences_table(TEXT), "Bakhmut")
    assert lines.empty and list(lines.columns) == ["article_id", "sentence_index", "left", "match", "right"]


def test_dispersion_positions_by_hand():
    sentences = sentences_table({"x": ["war and peace", "war ends"], "y": ["no match"]})
    positions = dispersion_positions(sentences, ["war", "peace"])
    # x has 5 words: war(0) and(1) peace(2) | war(3) ends(4)
    assert list(zip(positions["term"], positions["word"], positions["sentence_index"])) == \
        [("war", 0, 1), ("war", 3, 2), ("peace", 2, 1)]
    assert list(positions["position"]) == pytest.approx([0.0, 0.6, 0.4])
    assert set(positions["article_id"]) == {"x"}


def test_collocations_counts_filters_and_pmi_by_hand():
    sentences = sentences_table({"x": ["peace talks began", "the peace talks", "talks and war", "war peace"]})
    table = collocations(sentences, min_count=2, top=5)
    pmi = table[table["measure"] == "pmi"]
    # only "peace talks" is seen twice; no bigram with a stop word, none across sentences ("talks the")
    assert list(pmi["bigram"]) == ["peace talks"] and list(pmi["count"]) == [2]
    # 11 tokens; peace 3, talks 3, peace talks 2 → PMI = log2(2·11 / (3·3))
    assert pmi["score"].iloc[0] == pytest.approx(math.log2(2 * 11 / 9))
    assert set(table["measure"]) == {"pmi", "likelihood_ratio"}
