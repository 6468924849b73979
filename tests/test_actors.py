"""Actor dictionary, mentions per sentence, counts per article and co-occurrence within sentences."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.actors import (
    Actor, Person, actor_cooccurrence, actor_counts, actor_mentions, actor_names, alias_table, load_actors,
    person_names)
from analysis.errors import InputError
from analysis.plots.framing import plot_actor_cooccurrence, plot_actor_mentions
from analysis.text import word_tokens


def sentences(*texts: str, article_id: str = "a") -> pd.DataFrame:
    """A sentences table (article_id, sentence_index, text, tokens)."""
    return pd.DataFrame({"article_id": article_id, "sentence_index": range(1, len(texts) + 1), "text": list(texts),
                         "tokens": [word_tokens(t) for t in texts]})


def mentioned(text: str) -> list[tuple[str, str]]:
    """(actor, alias) mentions of one sentence with the package dictionary."""
    return list(actor_mentions(sentences(text))[["actor", "alias"]].itertuples(index=False, name=None))


def test_package_dictionary_holds_the_main_actors_with_people():
    actors = {a.name: a for a in load_actors()}
    assert {"China", "Russia", "Ukraine", "United States", "European Union", "the West", "NATO"} <= set(actors)
    assert {"Beijing", "Chinese"} <= set(actors["China"].aliases)
    assert "Qin Gang" in [p.name for p in actors["China"].people]
    assert {"Pentagon", "US", "Washington"} <= set(actors["United States"].aliases)


def test_person_and_actor_name_lookups():
    assert person_names(load_actors())["Zelensky"] == "Volodymyr Zelenskiy"
    assert person_names(load_actors())["Qin"] == "Qin Gang"
    assert actor_names(load_actors())["Kyiv"] == "Ukraine"
    assert "Qin" not in actor_names(load_actors())


def test_alias_table_lists_actors_then_their_people():
    table = alias_table([Actor("X", ("X", "Xian"), (Person("Ann Lee", ("Lee",)),)), Actor("Y", ("Y",))])
    assert table.values.tolist() == [["X", "", "X, Xian"], ["X", "Ann Lee", "Lee"], ["Y", "", "Y"]]


@pytest.mark.parametrize("content, problem", [
    ("actors: [", "not valid YAML"),
    ("people: []", "top-level 'actors:'"),
    ("actors:\n  - aliases: [X]", "needs a 'name'"),
    ("actors:\n  - name: X\n    aliases: []", "needs 'aliases'"),
    ("actors:\n  - name: X\n    aliases: [X]\n    people: [Ann]", "'people' must be a list"),
    ("actors:\n  - {name: X, aliases: [X]}\n  - {name: X, aliases: [Y]}", "more than once"),
])
def test_a_bad_actor_file_gives_one_line_naming_the_file_and_the_problem(tmp_path, content, problem):
    path = tmp_path / "actors.yaml"
    path.write_text(content)
    with pytest.raises(InputError) as error:
        load_actors(path)
    assert str(error.value).startswith(str(path)) and problem in str(error.value)


def test_matching_is_case_sensitive_so_us_the_pronoun_is_not_the_united_states():
    assert mentioned("The US told us to wait.") == [("United States", "US")]


def test_hyphenated_words_mention_both_actors_and_the_longest_alias_wins():
    assert mentioned("China-Russia ties under Vladimir Putin and Putin.") == [
        ("China", "China"), ("Russia", "Russia"), ("Russia", "Vladimir Putin"), ("Russia", "Putin")]
    assert mentioned("A fight against the collective West.") == [("the West", "collective West")]
    assert mentioned("Ukraine’s army and Ukrainian troops.") == [("Ukraine", "Ukraine"), ("Ukraine", "Ukrainian")]


def test_people_count_as_mentions_of_their_actor():
    assert mentioned("Qin told Kuleba, and Zelensky agreed.") == [
        ("China", "Qin"), ("Ukraine", "Kuleba"), ("Ukraine", "Zelensky")]


def test_seed_mentions_of_a_key_sentence(seed_corpus):
    mentions = actor_mentions(seed_corpus.sentences)
    s7 = mentions[(mentions["article_id"] == "mar17") & (mentions["sentence_index"] == 7)]
    assert list(s7[["actor", "alias"]].itertuples(index=False, name=None)) == [
        ("China", "Chinese"), ("China", "Xi Jinping"), ("Russia", "Russian"), ("Russia", "Vladimir Putin"),
        ("Ukraine", "Ukrainian"), ("Ukraine", "Volodymyr Zelenskiy")]
    s18 = mentions[(mentions["article_id"] == "mar17") & (mentions["sentence_index"] == 18)]
    assert s18["alias"].tolist() == ["Pentagon", "Russian", "US"]


MENTIONS = pd.DataFrame([("a", 1, "X", "X"), ("a", 1, "X", "Xian"), ("a", 1, "Y", "Y"), ("a", 2, "Y", "Y"),
                         ("b", 1, "Y", "Y")], columns=["article_id", "sentence_index", "actor", "alias"])


def test_actor_counts_by_hand_with_zeros_for_actors_an_article_never_mentions():
    table = actor_counts(MENTIONS, pd.DataFrame({"article_id": ["a"] * 4 + ["b"] * 2}))
    counts = table.set_index(["article_id", "actor"])
    assert counts.loc[("a", "X"), ["mentions", "sentences"]].tolist() == [2, 1]
    assert counts.loc[("a", "Y"), "sentence_share"] == 0.5
    assert counts.loc[("b", "X"), ["mentions", "sentences", "sentence_share"]].tolist() == [0, 0, 0]
    assert table["actor"].iloc[0] == "Y"  # most mentioned first


def test_actor_cooccurrence_counts_sentences_mentioning_both():
    counts = actor_cooccurrence(MENTIONS).set_index(["actor_a", "actor_b"])["sentences"]
    assert counts["X", "Y"] == counts["Y", "X"] == 1
    assert counts["X", "X"] == 1 and counts["Y", "Y"] == 3


def test_actor_charts_show_the_most_mentioned_actors_and_a_lower_triangle():
    counts = actor_counts(MENTIONS, pd.DataFrame({"article_id": ["a"] * 4 + ["b"] * 2}))
    fig = plot_actor_mentions(counts, {"a": "First", "b": "Second"}, top=1)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Y"]
    assert [t.get_text() for t in ax.texts] == ["2", "1"]
    plt.close(fig)
    fig = plot_actor_cooccurrence(actor_cooccurrence(MENTIONS))
    assert [t.get_text() for t in fig.axes[0].texts] == ["3", "1", "1"]  # Y-Y, X-Y, X-X; upper triangle blank
    plt.close(fig)


def test_no_mentions_give_empty_tables():
    empty = actor_mentions(sentences("Nothing here."))
    assert empty.empty and list(empty.columns) == ["article_id", "sentence_index", "actor", "alias"]
    assert actor_cooccurrence(empty).empty and actor_counts(empty, sentences("Nothing here.")).empty


def test_actor_counts_with_no_mention_is_an_empty_table_not_an_error():
    none = pd.DataFrame(columns=["article_id", "sentence_index", "actor"])
    table = actor_counts(none, pd.DataFrame({"article_id": ["a", "a"], "sentence_index": [1, 2]}))
    assert table.empty and actor_counts(none, pd.DataFrame({"article_id": [], "sentence_index": []}, dtype=str)).empty
    assert table.empty and list(table.columns) == ["article_id", "actor", "mentions", "sentences", "sentence_share"]
