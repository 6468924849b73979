"""Frame dictionary, sentence coding, shares with bootstrap intervals, permutation tests, reading views."""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from analysis import config
from analysis.errors import InputError
from analysis.frames import (
    Frame, dictionary_coding, coding_agreement, detectable_difference, dictionary_table,
    evidence_columns, frame_labels, parse_evidence, frame_contexts, frame_cooccurrence, frame_map_table,
    frame_shares, frame_tests, load_frames)
from analysis.stats import bootstrap_interval, bootstrap_ratios, percentile_interval
from analysis.plots.framing import UNCODED, plot_frame_map, plot_frame_shares
from analysis.text import shorten, word_tokens
from tests.conftest import colliding_tick_labels, colliding_titles


def table(*texts: str, article_id: str = "a", index=None) -> pd.DataFrame:
    """A sentences table (article_id, sentence_index, text, tokens) for `texts`, in order."""
    return pd.DataFrame({"article_id": article_id, "sentence_index": range(1, len(texts) + 1), "text": list(texts),
                         "tokens": [word_tokens(t) for t in texts]}, index=index)


def frames_of(*texts: str, frames=None) -> list[str]:
    """The `frames` column for `texts` coded with the package dictionary (or `frames`)."""
    return dictionary_coding(table(*texts), frames)["frames"].tolist()


def evidence_of(text: str, frames=None) -> str:
    """The `frame_evidence` of one sentence."""
    return dictionary_coding(table(text), frames)["frame_evidence"].iloc[0]


def coded(*rows: tuple[str, str, str]) -> pd.DataFrame:
    """Coded sentences from (article_id, text, frames) rows; sentence_index counts within each article."""
    frame = pd.DataFrame(rows, columns=["article_id", "text", "frames"])
    frame["sentence_index"] = frame.groupby("article_id").cumcount() + 1
    frame["tokens"] = frame["text"].map(word_tokens)
    frame["frame_evidence"] = ""
    return frame


TOY = [Frame("x", "X", "the x frame", ("x",)), Frame("y", "Y", "the y frame", ("y",))]


# --- the dictionary ---------------------------------------------------------------------------------------------

def test_package_dictionary_holds_the_six_frames_in_order_with_definitions_and_terms():
    frames = load_frames()
    assert [f.id for f in frames][:6] == ["de_escalation", "battlefield", "invisible_hand", "sovereignty",
                                          "human_cost", "alignment"]
    assert all(f.definition and f.terms and f.label for f in frames)


def test_dictionary_table_lists_each_frame_with_its_terms():
    row = dictionary_table(load_frames()).set_index("frame").loc["invisible_hand"]
    assert "invisible hand" in row["terms"] and row["n_terms"] == len(row["terms"].split(", "))
    assert "de-escalat*" in row["exclusions"]


@pytest.mark.parametrize("content, problem", [
    ("frames: [", "not valid YAML"),
    ("something: else", "top-level 'frames:'"),
    ("frames:\n  - id: Bad Id\n    definition: d\n    terms: [a]", "snake_case"),
    ("frames:\n  - id: a\n    terms: [a]", "no 'definition'"),
    ("frames:\n  - id: a\n    definition: d\n    terms: []", "no 'terms'"),
    ("frames:\n  - id: a\n    definition: d\n    terms: [ne*gotiate]", "'*' may only end a word"),
    ("frames:\n  - id: a\n    definition: d\n    terms: [3]", "list of non-empty words"),
    ("frames:\n  - {id: a, definition: d, terms: [x]}\n  - {id: a, definition: d, terms: [y]}", "more than once"),
])
def test_a_bad_dictionary_gives_one_line_naming_the_file_and_the_problem(tmp_path, content, problem):
    path = tmp_path / "my_frames.yaml"
    path.write_text(content)
    with pytest.raises(InputError) as error:
        load_frames(path)
    message = str(error.value)
    assert message.startswith(str(path)) and problem in message and "\n" not in message


def test_a_missing_dictionary_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        load_frames(tmp_path / "absent.yaml")


def test_users_can_add_a_frame_of_their_own(tmp_path):
    path = tmp_path / "frames.yaml"
    path.write_text("frames:\n  - id: energy\n    definition: Gas and oil.\n    terms: [gas, oil price*]\n")
    frames = load_frames(path)
    assert frames == [Frame("energy", "Energy", "Gas and oil.", ("gas", "oil price*"))]
    assert evidence_of("Oil prices rose and gas ran short.", frames) == "energy: oil prices, gas"


# --- matching ---------------------------------------------------------------------------------------------------

def test_phrases_stems_and_longest_match_give_readable_evidence():
    assert evidence_of("China wants peace talks and a ceasefire as Russian forces negotiate nothing.") == (
        "de_escalation: peace talks, ceasefire, negotiate | battlefield: forces")


def test_negation_does_not_remove_a_frame():
    assert frames_of("The relationship is based on no alliance.", "There is no ceasefire.") == [
        "alignment", "de_escalation"]


def test_exclusions_prevent_false_hits():
    assert frames_of("This is the driving force toward multipolarity.") == ["alignment"]
    assert frames_of("Russian forces attacked.") == ["battlefield"]
    assert frames_of("On the other hand, the hand of history.") == [""]
    assert frames_of("An invisible hand is at work.") == ["invisible_hand"]
    assert frames_of("Russia called it a special military operation.") == ["sovereignty"]
    assert frames_of("The military said so.") == ["battlefield"]
    assert frames_of("It is a fight against the aggression of the West.") == ["sovereignty"]
    assert frames_of("China must advance its relations with Russia.") == ["alignment"]


def test_storming_a_city_is_battlefield():
    assert frames_of("Russia tries to storm it.", "Troops stormed the town.") == ["battlefield", "battlefield"]


def test_de_escalation_is_never_escalation_even_with_an_escalation_stem():
    frames = [Frame("escalation", "Escalation", "d", ("escalat*",), ("de-escalat*",))]
    assert frames_of("They urged a gradual de-escalation.", "They urged a de–escalation.",
                     "They feared an escalation.", frames=frames) == ["", "", "escalation"]
    assert frames_of("China urged a de-escalation; the West wants to escalate.") == [
        "de_escalation;invisible_hand"]
    assert evidence_of("China urged a de-escalation; the West wants to escalate.") == (
        "de_escalation: de-escalation | invisible_hand: to escalate")


def test_dictionary_coding_keeps_the_index_and_codes_uncoded_sentences_as_empty_strings():
    result = dictionary_coding(table("Peace talks began.", "It rained.", index=[10, 20]), load_frames())
    assert list(result.index) == [10, 20] and list(result.columns) == ["frames", "frame_evidence"]
    assert result.loc[20].tolist() == ["", ""]


# --- the seeds, as a careful reader codes them ------------------------------------------------------------------

SEED_FRAMES = {
    "mar17": ["de_escalation;battlefield", "de_escalation;battlefield", "de_escalation;battlefield",
              "de_escalation;sovereignty", "sovereignty;human_cost", "de_escalation", "de_escalation",
              "de_escalation", "battlefield;human_cost", "battlefield", "battlefield", "battlefield", "battlefield",
              "battlefield", "battlefield", "battlefield;human_cost", "battlefield;human_cost", "battlefield",
              "invisible_hand;sovereignty;alignment"],
    "mar07": ["battlefield;human_cost", "invisible_hand", "invisible_hand", "invisible_hand", "de_escalation",
              "battlefield;invisible_hand", "battlefield;alignment", "invisible_hand", "", "human_cost", "", "",
              "de_escalation;sovereignty;alignment", "alignment", "invisible_hand;alignment",
              "invisible_hand;alignment", "alignment", "alignment", "alignment", "battlefield", "battlefield",
              "battlefield", "battlefield;human_cost", "battlefield", "battlefield", "battlefield", "",
              "battlefield", "invisible_hand;sovereignty", "sovereignty"],
}


@pytest.fixture(scope="module")
def seed_coded(seed_corpus):
    return seed_corpus.sentences.join(dictionary_coding(seed_corpus.sentences))


def test_every_seed_sentence_is_coded_as_pinned(seed_coded):
    for article_id, expected in SEED_FRAMES.items():
        assert seed_coded.loc[seed_coded["article_id"] == article_id, "frames"].tolist() == expected, article_id


def test_key_seed_sentences_have_the_expected_evidence(seed_coded):
    evidence = seed_coded.set_index(["article_id", "sentence_index"])["frame_evidence"]
    assert evidence["mar17", 2] == "de_escalation: de-escalation, ceasefire | battlefield: fighting"
    assert evidence["mar17", 9] == "battlefield: battlefield, forces, assaults | human_cost: ruined"
    assert evidence["mar07", 2] == "invisible_hand: invisible hand, protraction and escalation"
    assert evidence["mar07", 3] == "invisible_hand: invisible hand, geopolitical agendas"
    assert evidence["mar07", 14] == "alignment: relationship, alliance, confrontation, third party"
    assert evidence["mar07", 17] == "alignment: working together, multipolarity, relations, strategic balance"
    assert evidence["mar07", 20] == "battlefield: defend, storm"
    assert evidence["mar07", 29] == ("invisible_hand: collective west | sovereignty: invasion, "
                                     "special military operation, denazify, aggression")


# --- shares and bootstrap intervals -----------------------------------------------------------------------------

def test_shares_of_sentences_and_tokens_by_hand():
    data = coded(("a", "One two three.", "x"), ("a", "One.", ""), ("a", "One two.", "x;y"), ("a", "One.", ""))
    shares = frame_shares(data, TOY, resamples=200).set_index("frame")
    assert shares.loc["x", ["sentences", "frame_sentences", "tokens", "frame_tokens"]].tolist() == [4, 2, 7, 5]
    assert shares.loc["x", "sentence_share"] == 0.5 and shares.loc["x", "token_share"] == pytest.approx(5 / 7)
    assert shares.loc["y", "sentence_share"] == 0.25 and shares.loc["y", "token_share"] == pytest.approx(2 / 7)


def test_token_share_intervals_are_the_stats_bootstrap_of_the_sentences():
    # one resampling for the whole study: a frame's token-share interval is the percentile interval of
    # `stats.bootstrap_ratios` (the resamples of `stats.bootstrap_interval`) of its words over all words
    rows = [("a", "One two three.", "x"), ("a", "One.", ""), ("a", "One two.", "x;y"), ("a", "One.", ""),
            ("a", "One two three four.", "y")]
    shares = frame_shares(coded(*rows), TOY, resamples=700, seed=4).set_index("frame")
    x, tokens = np.array([1, 0, 1, 0, 0], dtype=float), np.array([3, 1, 2, 1, 4], dtype=float)
    expected = percentile_interval(bootstrap_ratios((x * tokens)[:, None], tokens, resamples=700, seed=4))[:, 0]
    assert shares.loc["x", ["token_low", "token_high"]].tolist() == expected.tolist()
    assert bootstrap_interval(x, resamples=700, seed=4) == tuple(
        percentile_interval(bootstrap_ratios(x[:, None], np.ones(5), resamples=700, seed=4))[:, 0])


def test_sentence_share_intervals_of_small_articles_are_wilson_intervals():
    # the review's case: 10 coded sentences, 3 with frame x and none with y. A percentile bootstrap gave x about
    # 0–60% and y 0–0% (a certainty); Wilson score intervals (Newcombe 1998, scipy's binomtest): 10.8–60.3% and
    # 0–27.8%
    rows = [("a", f"Sentence {i}.", "x" if i < 3 else "") for i in range(10)]
    shares = frame_shares(coded(*rows), TOY, resamples=500).set_index("frame")
    assert shares.loc["x", ["sentence_low", "sentence_high"]].tolist() == pytest.approx([0.10779, 0.60322], abs=1e-5)
    assert shares.loc["y", ["sentence_low", "sentence_high"]].tolist() == pytest.approx([0, 0.27753], abs=1e-5)
    assert shares.loc["y", "sentence_low"] == 0 and shares.loc["y", "sentence_high"] > 0.25
    # the token share of a frame in no sentence has no bootstrap interval rather than a point one
    assert shares.loc["y", ["token_low", "token_high"]].isna().all()


def test_a_frame_in_every_sentence_is_not_certain():
    data = coded(*[("a", "One.", "x")] * 4)
    shares = frame_shares(data, TOY, resamples=300).set_index("frame")
    assert shares.loc["x", ["sentence_low", "sentence_high"]].tolist() == pytest.approx([0.51011, 1], abs=1e-5)
    assert shares.loc["y", ["sentence_low", "sentence_high"]].tolist() == pytest.approx([0, 0.48989], abs=1e-5)
    assert shares[["token_low", "token_high"]].isna().all().all()


def test_a_one_sentence_article_has_a_share_and_a_wide_interval():
    shares = frame_shares(coded(("a", "One.", "x")), TOY).set_index("frame")
    assert shares.loc["x", "sentence_share"] == 1 and shares.loc["x", "sentence_low"] == pytest.approx(0.20654, 1e-4)
    assert math.isnan(shares.loc["x", "token_low"])


def test_an_article_interval_does_not_depend_on_the_other_articles():
    alone = frame_shares(coded(("a", "One.", "x"), ("a", "Two.", "")), TOY, resamples=400)
    together = frame_shares(coded(("a", "One.", "x"), ("a", "Two.", ""), ("b", "Three.", "y")), TOY, resamples=400)
    assert together[together["article_id"] == "a"].reset_index(drop=True).equals(alone)


# --- permutation tests ------------------------------------------------------------------------------------------

def test_frame_tests_are_one_vs_rest_and_need_two_articles():
    one = coded(("a", "A.", "x"), ("a", "B.", ""))
    assert frame_tests(one, TOY).empty
    two = coded(("a", "A.", "x"), ("a", "B.", "x"), ("b", "C.", ""), ("b", "D.", ""))
    result = frame_tests(two, TOY, resamples=2000)
    assert result[["article_id", "comparison", "frame"]].values.tolist() == [["a", "b", "x"], ["a", "b", "y"]]
    assert result["difference"].tolist() == [1.0, 0.0] and result["p_value"].iloc[1] == 1.0
    assert result["detectable"].iloc[0] == pytest.approx(detectable_difference(2, 2, 0.5))
    three = pd.concat([two, coded(("c", "E.", "y"))], ignore_index=True)
    result = frame_tests(three, TOY, resamples=500)
    assert len(result) == 6 and set(result["comparison"]) == {"rest"}
    assert result.set_index(["article_id", "frame"]).loc[("c", "y"), "difference"] == 1.0


def test_detectable_difference_by_hand():
    assert detectable_difference(50, 50, 0.5) == pytest.approx(1.959964 * 0.1, abs=1e-6)
    assert detectable_difference(19, 30, 0.3) > 0.25


# --- reading views ----------------------------------------------------------------------------------------------

def test_frame_map_table_stacks_slices_and_keeps_uncoded_sentences():
    data = coded(("a", "A.", "x;y"), ("a", "B.", ""), ("b", "C.", "y"))
    result = frame_map_table(data)
    assert result[["article_id", "position", "frame", "slice", "slices"]].values.tolist() == [
        ["a", 0, "x", 0, 2], ["a", 0, "y", 1, 2], ["a", 1, "", 0, 1], ["b", 0, "y", 0, 1]]


def test_frame_cooccurrence_counts_sentences_with_both_frames():
    data = coded(("a", "A.", "x;y"), ("a", "B.", "x"), ("b", "C.", ""))
    counts = frame_cooccurrence(data, TOY).set_index(["frame_a", "frame_b"])["sentences"]
    assert counts["x", "x"] == 2 and counts["x", "y"] == counts["y", "x"] == 1 and counts["y", "y"] == 1


def test_frame_contexts_give_the_neighbouring_sentences_within_an_article():
    data = coded(("a", "A.", ""), ("a", "B.", "x"), ("a", "C.", ""), ("b", "D.", "x"))
    result = frame_contexts(data, "x")
    assert result[["article_id", "before", "text", "after"]].values.tolist() == [
        ["a", "A.", "B.", "C."], ["b", "", "D.", ""]]


# --- charts -----------------------------------------------------------------------------------------------------

def many_articles(n: int) -> pd.DataFrame:
    """Coded sentences of `n` small articles, for chart tests."""
    rows = [(f"art{k}", "A.", "x;y" if k % 2 else "x") for k in range(n) for _ in range(3)]
    return coded(*rows, *[(f"art{k}", "B.", "") for k in range(n)])


@pytest.mark.parametrize("n, panels", [(1, 1), (2, 1), (3, 1), (20, 2)])
def test_frame_share_chart_groups_few_articles_and_panels_many(n, panels):
    data = many_articles(n)
    labels = {a: f"Article number {a} with a long label" for a in data["article_id"]}
    fig = plot_frame_shares(frame_shares(data, TOY, resamples=100), labels, {"x": "X", "y": "Y"})
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == panels
    ticks = [t.get_text() for t in visible[0].get_yticklabels()]
    assert ticks == (["X", "Y"] if n <= 3 else [shorten(labels[f"art{k}"], 22) for k in range(n)])
    plt.close(fig)


def test_frame_share_panels_wrap_long_frame_names_so_titles_never_collide():
    data = many_articles(4)
    labels = {a: f"ukrinform_2023-03-21_{a}_peace_plan" for a in data["article_id"]}
    names = {"x": "External blame / invisible hand", "y": "Sovereignty"}
    fig = plot_frame_shares(frame_shares(data, TOY, resamples=100), labels, names)
    assert colliding_titles(fig) == [] and colliding_tick_labels(fig) == []
    assert [ax.get_title() for ax in fig.axes if ax.get_visible()] == ["External blame /\ninvisible hand", "Sovereignty"]
    plt.close(fig)


def test_frame_map_draws_one_slice_per_frame_and_sentence_and_a_legend():
    data = coded(("a", "A.", "x;y"), ("a", "B.", ""), ("b", "C.", "y"))
    fig = plot_frame_map(frame_map_table(data), {"a": "First", "b": "Second"}, {"x": "X", "y": "Y"})
    ax = fig.axes[0]
    colours = [to_hex(p.get_facecolor()) for p in ax.patches]
    assert len(colours) == 4 and colours.count(to_hex(UNCODED)) == 1
    assert [t.get_text() for t in ax.get_yticklabels()] == ["First", "Second"]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["X", "Y", "no frame"]
    plt.close(fig)


def test_coding_agreement_counts_agreement_and_cohens_kappa_by_hand():
    # de_escalation: study 1 1 0 0 1 0 0 0 0 0, second coder 1 0 0 0 1 1 0 0 0 0 -> agreement 0.8; chance
    # agreement 0.3 * 0.3 + 0.7 * 0.7 = 0.58; kappa (0.8 - 0.58) / (1 - 0.58) = 0.5238...
    study = pd.Series(["de_escalation", "de_escalation", "", "", "de_escalation;battlefield"] + [""] * 5)
    second = pd.Series(["de_escalation", "", "", "", "de_escalation;battlefield", "de_escalation"] + [""] * 4)
    table = coding_agreement(study, second, load_frames()).set_index("frame")
    assert table.loc["de_escalation", ["study", "second"]].tolist() == [3, 3]
    assert table.loc["de_escalation", "agreement"] == pytest.approx(0.8)
    assert table.loc["de_escalation", "kappa"] == pytest.approx(0.22 / 0.42)
    assert table.loc["battlefield", "kappa"] == pytest.approx(1.0)  # one sentence each, the same one
    assert math.isnan(table.loc["alignment", "kappa"])  # neither coding uses it: kappa undefined


def test_seed_coding_agrees_with_the_independent_second_coding(seed_corpus):
    """Guards the dictionary and the learned model: the seeds' study coding agrees with
    benchmarks/data/seed_hand_coding.csv (see benchmarks/coding_agreement.py) with Cohen's kappa of at least 0.7
    for every frame."""
    from analysis.coders import code_sentences as study_coding
    hand = pd.read_csv(config.ROOT / "benchmarks" / "data" / "seed_hand_coding.csv", keep_default_na=False)
    coded = seed_corpus.sentences[["article_id", "sentence_index"]].join(study_coding(seed_corpus.sentences))
    coded = coded.merge(hand, on=["article_id", "sentence_index"], suffixes=("", "_hand"), validate="1:1")
    table = coding_agreement(coded["frames"], coded["frames_hand"], load_frames())
    assert len(coded) == len(seed_corpus.sentences)
    assert (table["kappa"] >= 0.7).all(), table


def test_parse_evidence_reads_back_what_evidence_columns_writes_and_labels_follow_the_dictionary():
    coded = [{"invisible_hand": ["invisible hand", "protraction and escalation"], "alignment": ["third party"]}, {}]
    _, evidence = evidence_columns(coded)
    assert [parse_evidence(e) for e in evidence] == coded
    frames = load_frames()
    assert list(frame_labels(frames)) == [f.id for f in frames]
    assert frame_labels(frames)["invisible_hand"] == "External blame / invisible hand"
