"""Findings: sentences built from the tables, the README section, and its agreement with the committed tables."""
import re

import pandas as pd
import pytest

from analysis import config
from analysis.findings import (BEGIN, END, Units, dominant_frames_finding, findings_markdown, frame_difference_finding,
                               frame_name, grouping_words, input_note, keyness_finding, group_tone_finding,
                               readme_section, replace_section, share_bias, speaker_counts, surviving, tone_finding,
                               voice_sentence)
from analysis.questions import Questions, questions_table


def questions(frames=("battlefield",), actors=("China",)):
    return questions_table(Questions([], list(frames), list(actors), None, {"frames", "actors"}))


def test_frame_and_speaker_names():
    assert frame_name("de_escalation") == "de-escalation"  # the dictionary's labels, lower-cased
    assert frame_name("invisible_hand") == "external blame / invisible hand" and frame_name("my_frame") == "my frame"
    assert speaker_counts(pd.Series(["Qin Gang", "Qin Gang"])) == "Qin Gang"
    assert speaker_counts(pd.Series(["Qin Gang", "Xi Jinping", "Qin Gang"])) == "Qin Gang (2) and Xi Jinping (1)"


def test_units_are_named_as_a_sentence_names_them():
    articles = Units("article", ["a"], {"a": "7 March"}, *[pd.DataFrame()] * 4)
    assert articles.name("a") == "the 7 March article" and articles.owner("a") == "the 7 March article's"
    groups = Units("group", ["GB", "nyt"], {"GB": "GB", "nyt": "The New York Times"}, *[pd.DataFrame()] * 4,
                   grouping="outlet")
    assert groups.name("GB") == "the GB group" and groups.name("nyt") == "the New York Times group"
    assert groups.others("rest") == "the other groups"
    assert [grouping_words(g) for g in ("country", "date:month", "group")] == ["country", "month", "the group key"]


def test_voice_sentence_counts_quoted_sentences():
    table = pd.DataFrame([dict(article_id="a", frame="invisible_hand", sentences=4, share=0.2, quoted=3,
                               speakers="Qin Gang")])
    units = Units("article", ["a"], {"a": "7 March"}, *[pd.DataFrame()] * 4)
    assert voice_sentence("invisible_hand", table, units) == (
        "External blame / invisible hand language appears in 4 sentences of the 7 March article (20% of its sentences; 3 "
        "inside quotation marks attributed to Qin Gang).")


def test_tone_finding_means_match_hand_computation():
    sentences = pd.DataFrame(dict(
        article_id="a", sentence_index=[1, 2, 3, 4], frames=["battlefield", "battlefield;human_cost", "", ""],
        speaker=["", "", "Qin Gang", "Qin Gang"], compound=[-0.5, -0.3, 0.4, 0.0]))
    numbers = tone_finding({"sentences": sentences, "questions": questions()}).numbers.set_index("group")
    assert numbers.loc["battlefield sentences", "mean"] == pytest.approx(-0.4)
    assert numbers.loc["quotations of China's voices", "mean"] == pytest.approx(0.2)
    assert numbers.loc["quotations of China's voices", "n"] == 2


def test_dominant_frames_name_every_frame_tied_with_the_last_one_named():
    shares = pd.DataFrame(dict(article_id="a", frame=["battlefield", "alignment", "invisible_hand", "sovereignty"],
                               sentences=[11, 8, 8, 2], sentence_share=[0.37, 0.27, 0.27, 0.07],
                               sentence_low=0.1, sentence_high=0.5))
    tables = {"frame_shares": shares, "articles": pd.DataFrame(dict(article_id=["a"], label=["7 March"])),
              "sentences": pd.DataFrame(dict(article_id=["a"] * 30)), "frame_tests": pd.DataFrame(),
              "keyness": pd.DataFrame()}
    found = dominant_frames_finding(tables)
    assert list(found.numbers["frame"]) == ["battlefield", "alignment", "invisible_hand"]
    assert "alignment (27% of sentences" in found.text and "sovereignty" not in found.text
    tables["articles"] = pd.DataFrame(dict(article_id=["a", "b"], label=["7 March", "8 March"]))
    tables["sentences"] = pd.DataFrame(dict(article_id=["a"] * 30 + ["b"] * 5))
    assert "1 article carries no frame at all." in dominant_frames_finding(tables).text


def test_tone_finding_says_when_intervals_overlap_and_counts_shared_sentences():
    sentences = pd.DataFrame(dict(
        article_id="a", sentence_index=range(1, 14), frames=["battlefield"] * 6 + [""] * 7,
        speaker=[""] * 5 + ["Qin Gang"] * 6 + ["", ""],
        compound=[-0.5, -0.3, 0.1, -0.2, 0.3, 0.0, 0.4, 0.0, 0.2, -0.1, 0.1, 0.2, -0.1]))
    text = tone_finding({"sentences": sentences, "questions": questions()}).text
    assert "Some sentences are in more than one of these sets" in text
    assert "The intervals overlap" in text
    assert "all other sentences average +0.05 (n = 2, too few sentences for an interval)" in text


def test_tone_finding_gives_no_interval_for_groups_of_fewer_than_min_n_sentences():
    sentences = pd.DataFrame(dict(article_id="a", sentence_index=[1, 2, 3], frames=["battlefield"] * 2 + [""],
                                  speaker="", compound=[0.7, 0.9, -0.2]))
    text = tone_finding({"sentences": sentences, "questions": questions()}).text
    assert "battlefield sentences average +0.80 (n = 2, too few sentences for an interval)" in text
    assert "all other sentences score −0.20 (n = 1)" in text and "95% CI" not in text
    assert "intervals overlap" not in text


def test_keyness_finding_says_how_many_terms_tie_with_the_last_one_named():
    keyness = pd.DataFrame(dict(article_id=["a"] * 5 + ["b"] * 2, term=["x", "y", "z", "w", "v", "p", "q"], ngram=1,
                                count_target=[5, 3, 2, 2, 2, 4, 1], count_reference=0, g2=[6.0, 4.0, 3.1, 3.1, 3.1, 5.0, 1.0],
                                log_ratio=1.0, p_adjusted=0.2, direction="target"))
    tables = {"keyness": keyness, "articles": pd.DataFrame(dict(article_id=["a", "b"], label=["A", "B"])),
              "sentences": pd.DataFrame(dict(article_id=["a", "b"])), "frame_shares": pd.DataFrame(),
              "frame_tests": pd.DataFrame()}
    text = keyness_finding(tables).text
    assert "*v* (2 vs 0, G² = 3.1) (and 2 more terms with the same G²)" in text  # ties: alphabetical
    assert "*q* (1 vs 0, G² = 1.0); " not in text and "*q* (1 vs 0, G² = 1.0)." in text


def frame_tests_tables(ids: list[str], comparisons: list[str], q_values: list[float]) -> dict:
    """Tables of a run whose frame tests compare `ids` (one row per id and frame of battlefield, alignment)."""
    rows = [dict(article_id=a, comparison=c, frame=f, sentences=20, rest_sentences=30, share=0.5, rest_share=0.2,
                 difference=0.3, detectable=0.25, p_value=q / 2, q_value=q)
            for (a, c), (f, q) in zip([(a, c) for a, c in zip(ids, comparisons) for _ in (1, 2)],
                                      zip(["battlefield", "alignment"] * len(ids), q_values))]
    return {"frame_tests": pd.DataFrame(rows), "frame_shares": pd.DataFrame(), "keyness": pd.DataFrame(),
            "articles": pd.DataFrame(dict(article_id=ids, label=[i.upper() for i in ids])),
            "sentences": pd.DataFrame(dict(article_id=ids))}


def test_the_correction_note_says_what_each_comparison_set_against_what():
    two = frame_difference_finding(frame_tests_tables(["a", "b"], ["b"], [0.01, 0.2])).text
    assert "all 2 comparisons (2 frames, one article against the other, Benjamini–Hochberg); 1 of them has" in two
    three = frame_difference_finding(frame_tests_tables(["a", "b", "c"], ["rest"] * 3, [0.2] * 6)).text
    assert "all 6 comparisons (2 frames × 3 articles, each against the rest, Benjamini–Hochberg); 0 of them have" in three


def test_the_count_of_surviving_comparisons_agrees_with_its_noun():
    tests = pd.DataFrame(dict(q_value=[0.3]))
    assert surviving(tests, of_all=True) == "0 of 1 comparison has q < 0.05"
    assert surviving(tests.assign(q_value=0.01), of_all=True) == "1 of 1 comparison has q < 0.05"
    five = pd.DataFrame(dict(q_value=[0.01, 0.04, 0.2, 0.3, 0.5]))
    assert surviving(five, of_all=True) == "2 of 5 comparisons have q < 0.05"
    assert surviving(five.iloc[1:], of_all=True) == "1 of 4 comparisons has q < 0.05"
    assert surviving(five.iloc[2:]) == "0 of them have q < 0.05"


def test_the_group_tone_finding_names_the_groups_with_the_most_sentences():
    sizes = {"g1": 2, "g2": 6, "g3": 3, "g4": 7, "g5": 5, "g6": 8, "g7": 5, "g8": 9}  # g1, g3 the smallest
    sentences = pd.DataFrame([dict(article_id=f"a{g}", sentence_index=i, frames="", speaker="",
                                   compound=[-0.2, 0.4][i % 2]) for g, n in sizes.items() for i in range(n)])
    groups = pd.DataFrame(dict(article_id=[f"a{g}" for g in sizes], group=list(sizes),
                               group_label=[f"outlet {g.upper()}" for g in sizes]))
    tables = {"sentences": sentences, "groups": groups, "group_tone_tests": pd.DataFrame(),
              "questions": questions_table(Questions([], [], [], "outlet", set())),
              **{name: pd.DataFrame() for name in ("group_frame_shares", "group_frame_tests", "group_keyness")}}
    found = group_tone_finding(tables)
    named = ["g2", "g4", "g5", "g6", "g7", "g8"]  # the six largest (g5 and g7 tie at 5), in the groups' order
    assert re.findall(r"the (g\d) group:", found.text) == named
    assert "the g6 group: average +0.10 (" in found.text and "n = 8)" in found.text  # 4 × −0.2, 4 × +0.4
    assert "the g7 group: average +0.04 (" in found.text  # (3 × −0.2 + 2 × 0.4) / 5
    assert "the other 2 groups, with fewer sentences, are in the table" in found.text
    assert list(found.numbers["group"]) == ["g2", "g4", "g5", "g6", "g7", "g8", "g1", "g3"]


def test_replace_section_swaps_only_the_marked_part():
    text = f"intro\n{BEGIN}\nold\n{END}\noutro"
    assert replace_section(text, f"{BEGIN}\nnew\n{END}") == f"intro\n{BEGIN}\nnew\n{END}\noutro"
    with pytest.raises(ValueError):
        replace_section("no markers", "x")


def test_readme_findings_match_the_committed_tables():
    assert readme_section() == findings_markdown(config.ROOT), "README findings are stale: rerun `make study`"


def test_readme_findings_embed_existing_figures():
    section = readme_section()
    assert section.count("![Figure") >= 4
    for name in [line.split("(figures/")[1].split(")")[0] for line in section.splitlines() if "](figures/" in line]:
        assert (config.ROOT / "figures" / name).exists()


def test_tables_read_back_with_blank_intervals_are_numbers():
    from analysis.findings import with_numbers
    table = pd.DataFrame({"frame": ["a", "b"], "sentence_low": ["0.25", ""], "note": ["x", ""]})
    fixed = with_numbers(table)
    assert fixed["sentence_low"].iloc[0] == 0.25 and fixed["sentence_low"].isna().iloc[1]
    assert list(fixed["note"]) == ["x", ""] and list(fixed["frame"]) == ["a", "b"]


def test_shared_passages_are_counted_and_the_longest_located():
    from analysis.findings import passages_sentence
    labels = {"a": "7 March", "b": "17 March", "c": "BBC"}
    one = pd.DataFrame({"article_a": ["a"], "article_b": ["c"], "words": [12]})
    assert passages_sentence(one, labels) == ("1 passage of 8 or more words appears in both the 7 March and BBC "
                                              "articles (12 words).")
    two = pd.DataFrame({"article_a": ["a", "b"], "article_b": ["c", "c"], "words": [9, 50]})
    assert passages_sentence(two, labels) == ("2 passages of 8 or more words appear in two articles each; the longest "
                                              "(50 words) is in the 17 March and BBC articles.")


def test_the_similarity_sentence_names_the_most_similar_pair_with_its_scale_in_one_bracket():
    from analysis.findings import shared_finding
    articles = pd.DataFrame(dict(article_id=["a", "b", "c"], label=["A", "B", "C"]))
    pairs = [("a", "b", 0.1), ("a", "c", 0.25), ("b", "c", 0.2)]
    sim = pd.DataFrame([dict(article_a=x, article_b=y, cosine=c) for a, b, c in pairs for x, y in ((a, b), (b, a))])
    tables = {"similarity": sim, "articles": articles, "shared_passages": pd.DataFrame()}
    assert shared_finding(tables).text.startswith(
        "Of the 3 pairs of articles, the most similar is the A and C articles (TF-IDF cosine similarity 0.25, where 1 "
        "means the same term profile, 0 no term in common); no passage")
    tables.update(similarity=sim[sim["article_a"].isin(["a", "b"]) & sim["article_b"].isin(["a", "b"])],
                  articles=articles.head(2))
    assert shared_finding(tables).text.startswith("The two articles have a TF-IDF cosine similarity of 0.10 (1 means "
                                                  "the same term profile, 0 no term in common); no passage")


def test_the_reliability_note_reports_the_hold_out_figures_it_is_given(tmp_path):
    from analysis.findings import reliability_note

    frames, quotes = tmp_path / "frames.csv", tmp_path / "quotes.csv"
    frames.write_text("coder,frame,precision,recall,f1,kappa,coders_kappa\ncombined,a,0.8,0.4,0.5,0.40,0.80\n"
                      "combined,b,0.9,0.9,0.9,0.70,0.95\ncombined,all (micro),0.85,0.65,0.71,,\n"
                      "dictionary,a,0.1,0.1,0.1,0.05,0.80\n")
    quotes.write_text("method,recall,speaker\npackage,0.904,0.576\ntextacy,0.5,0.2\n")
    note = reliability_note(frames, quotes)
    assert "micro-F1 0.71 (Cohen's kappa 0.40–0.70 per frame, where two human coders agreed at 0.80–0.95)" in note
    assert "a coded frame share was 0.50 times the coders' share for a up to 1.00 times for b" in note
    assert "90% of quoted sentences were found as quotations and 58% got the right speaker" in note
    assert reliability_note(tmp_path / "none.csv", tmp_path / "none.csv") == ""


def test_share_bias_is_recall_over_precision_lowest_and_highest():
    # coded share / coders' share = (TP + FP) / (TP + FN) = recall / precision: 0.25 / 0.5 and 0.75 / 0.5
    frames = pd.DataFrame({"frame": ["battlefield", "alignment", "human_cost"], "precision": [0.5, 0.5, 0.8],
                           "recall": [0.25, 0.75, 0.8]})
    text = share_bias(frames)
    assert "0.50 times the coders' share for battlefield" in text and "1.50 times for alignment" in text


def test_the_input_note_lists_the_loader_warnings_and_counts_the_rest():
    table = pd.DataFrame({"warning": [f"a{k}.txt: does not look like English" for k in range(7)]})
    note = input_note({"input_warnings": table}, shown=2)
    assert "warned about the input 7 times" in note
    assert "a0.txt: does not look like English; a1.txt" in note and "a2.txt" not in note and "and 5 more" in note
    assert input_note({"input_warnings": pd.DataFrame()}) == ""
    assert "1 time (" in input_note({"input_warnings": table.head(1)}) and "with it in mind" in input_note(
        {"input_warnings": table.head(1)})
