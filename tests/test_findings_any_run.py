"""Findings on synthesized runs of 1, 2, 3, 6 and 40 articles, grouped and not, and with an edited frame dictionary:
every sentence is checked against the finding's own table and the run's articles (no ../shared needed)."""
from __future__ import annotations

import random
import re

import pandas as pd
import pytest

from analysis.corpus import load_corpus
from analysis.findings import NAMED, all_findings, frame_name, units_of
from analysis.frames import Frame, dictionary_coding, frame_shares, frame_tests, load_frames
from analysis.pipeline import articles_table, sentences_table
from analysis.questions import (Questions, grouped_sentences, groups_table, questions_table, read_questions,
                                study_questions)
from analysis.sentiment import tone_tests
from analysis.similarity import cosine_similarities, shared_passages
from analysis.vocabulary import keyness_table

SENTENCES = [
    "Russian forces shelled the city overnight and troops fought for the bridge.",
    "Artillery fire killed three civilians near the front line.",
    "The foreign minister called for peace talks and a ceasefire.",
    '"We want negotiations, not war," the minister said.',
    "Officials warned that an invisible hand was pushing the conflict.",
    "Western sanctions and pressure were blamed for the crisis.",
    "Refugees fled as hospitals ran short of medicine.",
    "The government insisted on its sovereignty and territorial integrity.",
    "Beijing and Moscow pledged a partnership without limits.",
    "Grain exports resumed from the port on Tuesday.",
    "Energy prices rose again across the region.",
    '"The shelling must stop," said Volodymyr Zelenskiy.',
]
COUNTRIES = ["GB", "PL", "US", "UA"]
RESAMPLES = 200


def write_articles(folder, n: int, seed: int = 7) -> list[str]:
    """`n` small articles with headers (title, date, country, outlet), made of the sentences above in random
    mixtures, so that frames, quotes and vocabulary differ between them."""
    rng = random.Random(seed)
    for k in range(n):
        body = rng.sample(SENTENCES, rng.randint(3, 9)) + [f"Article {k} ends with its own word zeta{k % 5}."]
        header = (f"title: Report number {k} on the war in Ukraine and its neighbours\n"
                  f"date: 2022-0{1 + k % 3}-{10 + k % 15}\ncountry: {COUNTRIES[k % len(COUNTRIES)]}\n"
                  f"outlet: Outlet {k % 2}\n\n")
        (folder / f"report_{k:02d}.txt").write_text(header + "\n\n".join(body) + "\n")
    return [str(folder / "*.txt")]


def run_tables(patterns: list[str], *, group: str | None = None, frames: list[Frame] | None = None) -> dict:
    """The tables the findings read, computed as the notebooks compute them (fewer resamples)."""
    corpus = load_corpus(patterns)
    sentences = sentences_table(corpus)
    questions = study_questions(corpus, group=group)
    if frames is not None:  # an edited dictionary: recode, and follow its frames
        sentences = sentences.drop(columns=["frames", "frame_evidence"]).join(dictionary_coding(corpus.sentences, frames))
        counts = sentences["frames"].str.split(";").explode().value_counts()
        questions.frames = sorted((f.id for f in frames if counts.get(f.id, 0)), key=lambda f: -counts[f])[:2]
    frames = frames or load_frames()
    coded = corpus.sentences.join(sentences[["frames", "frame_evidence", "speaker", "compound"]])
    tables = {"articles": articles_table(corpus), "sentences": sentences,
              "frame_shares": frame_shares(coded, frames, resamples=RESAMPLES),
              "frame_tests": frame_tests(coded, frames, resamples=RESAMPLES), "questions": questions_table(questions)}
    several = len(corpus.articles) > 1
    tables["keyness"] = keyness_table(corpus.sentences) if several else pd.DataFrame()
    tables["similarity"] = cosine_similarities(corpus.sentences) if several else pd.DataFrame()
    tables["shared_passages"] = shared_passages(corpus.sentences) if several else pd.DataFrame()
    if group:
        groups = groups_table(corpus.articles, group)
        by = groups.set_index("article_id")["group"]
        pooled = grouped_sentences(coded, by)
        tables |= {"groups": groups, "group_frame_shares": frame_shares(pooled, frames, resamples=RESAMPLES),
                   "group_frame_tests": frame_tests(pooled, frames, resamples=RESAMPLES),
                   "group_keyness": keyness_table(grouped_sentences(corpus.sentences, by)),
                   "group_tone_tests": tone_tests(pooled, resamples=RESAMPLES)}
    return tables


def numbers_in(table: pd.DataFrame) -> tuple[set[int], set[str], set[int]]:
    """Whole percentages (of every float column), two-decimal scores and integers a table holds."""
    floats = table.select_dtypes("number")
    shares = {round(100 * v) for v in floats.to_numpy().ravel() if pd.notna(v)}
    scores = {f"{v:+.2f}".replace("-", "−") for v in floats.to_numpy().ravel() if pd.notna(v)}
    counts = {int(v) for v in floats.to_numpy().ravel() if pd.notna(v) and float(v).is_integer()}
    return shares, scores, counts


def check_finding(finding, tables: dict) -> None:
    """Every claim of a finding's sentences that a table can check."""
    text, units = finding.text, units_of(tables)
    assert "= 0.000" not in text and "nan" not in text.lower(), text
    assert not re.search(r"about 0 (to|–)", text), text  # a detectable range of real numbers
    shares, scores, counts = numbers_in(finding.numbers)
    for low, high in re.findall(r"95% CI (\d+)–(\d+)%", text):
        assert int(low) in shares and int(high) in shares, (low, high, text)
    for share in re.findall(r"(?<!95)(?<![–\d])(\d+)% of", text):
        assert int(share) in shares, (share, text)
    for score in re.findall(r"(?:average|score|mean) ([+−]\d\.\d\d)", text):
        assert score in scores, (score, text)
    for n in re.findall(r"n = (\d+)", text):
        assert int(n) in counts, (n, text)
    for part in re.split(r"(?<=\)), |; | and ", text):  # no interval claimed for a group of one sentence
        assert not ("n = 1)" in part and "95% CI" in part), part
    named = {label.removeprefix("the ") for found in re.findall(
        r"the ((?:(?!the )[^;()])*?…|(?:country|month|outlet) [\w -]+?) articles?\b", text)
        for label in found.split(" and ")}
    known = set(units.labels.values()) | set(tables["articles"]["label"])
    assert named <= known, (named - known, text)
    if finding.title.startswith("How the") and "clearest differences" in text:
        listed = text.split("The clearest differences are in ")[1].split(". q is")[0]
        for frame in {frame_name(f) for f in finding.numbers["frame"]}:
            assert listed.count(frame + " (") <= 1, f"{frame} named twice: {listed}"
    assert finding.title and "China" not in finding.title and "invisible hand" not in finding.title.lower()


@pytest.mark.parametrize("n", [1, 2, 3, 6, 40])
def test_every_finding_sentence_agrees_with_its_table(tmp_path, n):
    tables = run_tables(write_articles(tmp_path, n))
    found = all_findings(tables)
    assert len(found) == 6  # no group finding without a grouping
    for finding in found:
        check_finding(finding, tables)
    text = " ".join(f.text for f in found)
    if n == 1:
        assert "With one article there is nothing to compare." in text and "p = " not in text
    if n > NAMED:
        assert f"Across the {n} articles" in found[0].text and "`tables/frame_shares.csv` lists the other" in found[0].text
        assert len(found[0].numbers["article_id"].unique()) == n  # the table is complete


@pytest.mark.parametrize("group, expected, by", [("country", ["GB", "PL", "US", "UA"], "country"),
                                                 ("date:month", ["2022-01", "2022-02", "2022-03"], "month"),
                                                 ("outlet", ["Outlet 0", "Outlet 1"], "outlet")])
def test_grouped_runs_compare_groups_and_their_sentences_agree_with_the_tables(tmp_path, group, expected, by):
    tables = run_tables(write_articles(tmp_path, 12), group=group)
    units = units_of(tables)
    assert units.kind == "group" and [units.labels[g] for g in units.ids] == expected
    found = all_findings(tables)
    assert found[0].text.startswith(f"With the articles grouped by {by}, the most frequent frames are, in the "
                                    f"{expected[0]} group (")
    text = " ".join(f.text for f in found)
    assert f"{by} {expected[0]}" not in text and "their sentences" not in text  # 'the GB group (40% of its ...'
    assert [f.title for f in found][:2] == ["Which frames dominate", "How the groups differ"]
    assert "How the groups differ in tone" in [f.title for f in found]
    for finding in found:
        check_finding(finding, tables)
    difference = found[1]
    assert set(difference.numbers["group"]) <= set(units.ids)
    assert all("group" in f.numbers and "article_id" not in f.numbers for f in found if len(f.numbers)
               and f.title != "What the articles share")  # a group's rows say 'group', as the written tables do
    if len(units.ids) == 2:
        assert set(difference.numbers["comparison"]) == {units.ids[1]}  # two groups: the first against the second
    figures = {figure for finding in found for figure in finding.figures}
    assert {"group_frame_shares", "group_keyness_words", "group_sentiment_scores"} <= figures  # the groups' charts
    assert not figures & {"frame_shares", "keyness_words", "sentiment_scores"}  # not the articles'



def test_an_edited_dictionary_gives_findings_about_its_own_frames(tmp_path):
    frames = [Frame("energy_supply", "Energy supply", "Gas, oil and power.", ("energy", "gas", "oil")),
              Frame("grain_trade", "Grain trade", "Grain and ports.", ("grain", "port*", "exports"))]
    tables = run_tables(write_articles(tmp_path, 6), frames=frames)
    found = {f.title: f for f in all_findings(tables)}
    assert "Who voices energy supply and grain trade language" in found or \
        "Who voices grain trade and energy supply language" in found
    text = " ".join(f.text for f in found.values())
    assert "energy supply" in text and "grain trade" in text
    assert not any(name in text for name in ("battlefield", "invisible hand", "de-escalation"))


def test_default_questions_come_from_the_articles(tmp_path):
    corpus = load_corpus(write_articles(tmp_path, 3))
    questions = study_questions(corpus)
    assert questions.queries and all(q not in ("invisible hand", "bakhmut") for q in questions.queries)
    words = " ".join(corpus.sentences["text"]).lower()
    assert all(q in words for q in questions.queries)  # each a key term of some article
    coded = dictionary_coding(corpus.sentences)
    counts = coded["frames"].str.split(";").explode().value_counts().drop("", errors="ignore")
    assert questions.frames == list(counts.index[:2]) or counts.iloc[1] == counts.iloc[2]
    assert questions.given == set()
    table = questions_table(questions)
    assert set(table.loc[table["question"] != "group", "source"]) == {"from the articles"}
    assert table[table["question"] == "group"].values.tolist() == [["group", "", "none given: articles compared"]]
    grouped = questions_table(study_questions(corpus, group="country"))
    assert grouped[grouped["question"] == "group"].values.tolist() == [["group", "country", "given"]]
    assert read_questions(table).group is None and read_questions(grouped).group == "country"


def test_the_default_queries_say_where_they_come_from(tmp_path):
    from analysis.questions import default_queries, queries_origin

    (tmp_path / "one.txt").write_text("Grain exports resumed. The grain ships left the port. Grain prices fell.")
    assert default_queries(load_corpus([str(tmp_path / "one.txt")]).sentences)[0] == "grain"  # its most frequent
    assert queries_origin(1) == "the article's most frequent terms"
    assert queries_origin(3) == "each article's strongest key terms"


def test_given_questions_are_checked_with_one_line(tmp_path):
    from analysis.errors import InputError

    corpus = load_corpus(write_articles(tmp_path, 2))
    with pytest.raises(InputError, match="unknown frame 'peace'"):
        study_questions(corpus, frames=["peace"])
    with pytest.raises(InputError, match="no metadata column 'region'"):
        study_questions(corpus, group="region")
    with pytest.raises(InputError, match="only date can be grouped by"):
        study_questions(corpus, group="country:month")
    with pytest.raises(InputError, match="a date is grouped by week, month or year .*, not by 'decade'$"):
        study_questions(corpus, group="date:decade")
    assert study_questions(corpus, ["zeta*"], ["battlefield"], ["China"], "country").given == \
        {"queries", "frames", "actors", "group"}
    assert Questions(["a"], [], [], None).group is None


def test_dates_group_by_iso_week_month_or_year_and_missing_values_form_their_own_group():
    from analysis.questions import article_groups

    articles = pd.DataFrame(dict(article_id=["a", "b", "c", "d"], date=["2022-01-03", "2022-01-09", "2023-02-01", ""],
                                 outlet=["BBC", "", "CNN", "BBC"]))
    assert list(article_groups(articles, "date:week")) == ["2022-W01", "2022-W01", "2023-W05", "(no date)"]
    assert list(article_groups(articles, "date:month")) == ["2022-01", "2022-01", "2023-02", "(no date)"]
    assert list(article_groups(articles, "outlet")) == ["BBC", "(no outlet)", "CNN", "BBC"]
    assert list(groups_table(articles, "date:year")["group_label"]) == ["year 2022", "year 2022", "year 2023",
                                                                        "(no date)"]


def test_default_focus_frames_follow_the_coding_the_run_reports(tmp_path, monkeypatch):
    import analysis.coders as coders
    corpus = load_corpus(write_articles(tmp_path, 3))
    reported = lambda sentences, frames=None, coder="study": pd.DataFrame(  # noqa: E731
        {"frames": "human_cost" if coder == "study" else "", "frame_evidence": "", "frame_model": ""},
        index=sentences.index)
    monkeypatch.setattr(coders, "code_sentences", reported)
    assert study_questions(corpus).frames[0] == "human_cost"
    assert "human_cost" not in study_questions(corpus, coder="dictionary").frames


def test_group_tables_are_written_with_a_group_column_and_read_back_for_the_findings(tmp_path):
    from analysis.findings import read_tables
    from analysis.questions import group_named
    from analysis.tables import write_table

    tables = run_tables(write_articles(tmp_path, 8), group="country")
    out = tmp_path / "out"
    for name, table in tables.items():
        write_table(group_named(table) if name.startswith("group_") else table, name, out)
    written = pd.read_csv(out / "tables" / "group_frame_shares.csv")
    assert "group" in written and "article_id" not in written  # a reader sees groups named as groups
    assert set(written["group"]) == set(tables["groups"]["group"])
    tone = pd.read_csv(out / "tables" / "group_tone_tests.csv")
    assert set(tone["group"]) <= set(tables["groups"]["group"])
    read = read_tables(out)
    assert [f.text for f in all_findings(read)] == [f.text for f in all_findings(tables)]
