"""Findings: the study's answers, stated in sentences whose numbers are read from the tables.

Each `*_finding` function takes the tables a study run wrote (`read_tables(out)`) and returns a `Finding`: a
title, one or a few sentences (Markdown), the table of numbers behind them (the rows the sentences name first)
and the names of the figures that show it. Titles and sentences are built from what the run has: its questions
(`tables/questions.csv`: focus frames and actors, grouping), its units (the articles, or the groups of a grouped
run) and their number. The summary notebook prints them and the run writes them into the README (or
FINDINGS.md) between marker comments, so the numbers a reader sees are always those of the run's tables.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.actors import load_actors
from analysis.coders import HOLDOUT_FILE
from analysis.figures import figure_entries, title_of
from analysis.frames import frame_labels, load_frames, parse_evidence
from analysis.outputs import replace_text
from analysis.prose import capitalized, interval, listing, p_text, percent, plural, possessive, signed
from analysis.questions import Questions, group_named, group_rows, read_questions, voice_names
from analysis.sentiment import summarise
from analysis.shortcuts import vader
from analysis.tables import read_table

TABLES = ("articles", "sentences", "frame_shares", "frame_tests", "quotes", "keyness", "similarity",
          "shared_passages", "questions", "groups", "group_frame_shares", "group_frame_tests", "group_keyness",
          "group_tone_tests", "input_warnings")
BEGIN, END = "<!-- findings:begin -->", "<!-- findings:end -->"
NAMED = 6  # units (articles or groups) a sentence names one by one; beyond that the rest are counted


@dataclass
class Finding:
    """A finding: a title, one Markdown sentence (or a few), the numbers behind it (the rows the text names
    first) and the names of the figures that show it (none drawn when a run made no such figure)."""

    title: str
    text: str
    numbers: pd.DataFrame
    figures: tuple[str, ...]


def read_tables(out: str | Path = ".") -> dict[str, pd.DataFrame]:
    """The study tables the findings use, read from `<out>/tables/`; a table the run did not write (keyness,
    similarity and frame tests need two articles, group tables a grouping) is an empty table; group tables with
    their group in `article_id`, as the article tables (`questions.group_rows`)."""
    folder = config.tables_dir(out)
    tables = {name: with_numbers(read_table(name, out)) if (folder / f"{name}.csv").exists() else pd.DataFrame()
              for name in TABLES}
    return {name: group_rows(table) if name.startswith("group_") else table for name, table in tables.items()}


def with_numbers(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with each text column whose non-empty values are all numbers made numeric, blanks as NaN: a
    column with a blank (an interval not computed for a one-sentence article) is read back as text."""
    numeric = {}
    for column in table.columns:
        values = table[column]
        if pd.api.types.is_numeric_dtype(values):
            continue
        filled = values[values != ""]
        if len(filled) < len(values) and len(filled) and pd.to_numeric(filled, errors="coerce").notna().all():
            numeric[column] = pd.to_numeric(values.replace("", float("nan")))
    return table.assign(**numeric) if numeric else table


# --- formatting -------------------------------------------------------------------------------------------------

def frame_name(frame_id: str) -> str:
    """Readable frame name: the dictionary's label, lower-cased ('external blame / invisible hand'); for a frame
    not in the dictionary, its id made readable ('de_escalation' → 'de-escalation')."""
    labels = dictionary_labels()
    return labels[frame_id].lower() if frame_id in labels else frame_id.replace("de_", "de-").replace("_", " ")


@cache
def dictionary_labels() -> dict[str, str]:
    """`frames.frame_labels` of the package's frame dictionary (read once)."""
    return frame_labels(load_frames())


# --- what a run has ---------------------------------------------------------------------------------------------

@dataclass
class Units:
    """What a run compares: its articles, or the groups of its grouping. `ids` in order, `labels` per id (an
    article's chart label; a group's value, 'GB'), `kind` ('article' or 'group'), the frame shares, frame tests
    and keyness tables of those units, the sentences table with each sentence's unit in a column `unit`, and for
    groups what they group by in words (`grouping`: 'country', 'month')."""

    kind: str
    ids: list[str]
    labels: dict[str, str]
    shares: pd.DataFrame
    tests: pd.DataFrame
    keyness: pd.DataFrame
    sentences: pd.DataFrame
    grouping: str = ""

    def figure(self, name: str) -> str:
        """The name of the figure `name` drawn for these units: `group_<name>` for groups (e.g.
        `group_frame_shares`), `name` itself for articles."""
        return f"group_{name}" if self.kind == "group" else name

    def name(self, unit: str) -> str:
        """'the 7 March article', 'the GB group' or, for a value that starts with 'The', 'the New York Times
        group'."""
        label = self.labels[unit]
        return f"the {label[4:] if label.startswith('The ') else label} {self.kind}"

    def owner(self, unit: str) -> str:
        """Possessive of `name`: "the 7 March article's" or "the GB group's"."""
        return self.name(unit) + "'s"

    def others(self, comparison: str) -> str:
        """The other side of a comparison: a unit's name, or 'the other articles' ('the other groups')."""
        if comparison in self.labels:
            return self.name(comparison)
        return f"the other {self.noun}"

    def shown(self, table: pd.DataFrame) -> pd.DataFrame:
        """`table` (a finding's numbers) as a reader sees it: a group's rows name it in a column `group`, not
        `article_id` (`questions.group_named`)."""
        return group_named(table) if self.kind == "group" else table

    @property
    def noun(self) -> str:
        """'articles' or 'groups'."""
        return f"{self.kind}s"


def run_questions(tables: dict) -> Questions:
    """The questions of the run whose `tables` these are (`tables/questions.csv`); a run without that table has
    no focus frames, actors or grouping."""
    return read_questions(tables.get("questions", pd.DataFrame()))


def units_of(tables: dict) -> Units:
    """The units the findings compare: the groups, when the run grouped its articles, else the articles."""
    sentences, groups = tables["sentences"], tables.get("groups", pd.DataFrame())
    if run_questions(tables).group and not groups.empty:
        unit = dict(zip(groups["article_id"], groups["group"]))
        ids = list(dict.fromkeys(groups["group"]))
        return Units("group", ids, dict(zip(ids, ids)), tables["group_frame_shares"], tables["group_frame_tests"],
                     tables["group_keyness"], sentences.assign(unit=sentences["article_id"].map(unit)),
                     grouping_words(run_questions(tables).group))
    articles = tables["articles"]
    return Units("article", list(articles["article_id"]), dict(zip(articles["article_id"], articles["label"])),
                 tables["frame_shares"], tables["frame_tests"], tables["keyness"],
                 sentences.assign(unit=sentences["article_id"]) if "article_id" in sentences else sentences)


def grouping_words(group: str) -> str:
    """A grouping (`--group`) in words: 'country' for a column, 'month' for `date:month`, 'the group key' for a
    free `group:` header key (never 'grouped by group')."""
    column, _, unit = group.partition(":")
    return unit or ("the group key" if column == "group" else column)


def named_first(numbers: pd.DataFrame, named: pd.DataFrame) -> pd.DataFrame:
    """`numbers` with the rows of `named` (a subset, same index) first, in their order, then the others."""
    return pd.concat([numbers.loc[named.index], numbers.drop(index=named.index)])


def frame_sets(sentences: pd.DataFrame) -> pd.Series:
    """Each sentence's frame ids as a set."""
    return sentences["frames"].astype(str).str.split(";").map(set)


# --- the findings -----------------------------------------------------------------------------------------------

def dominant_frames_finding(tables: dict, top: int = 2) -> Finding:
    """The `top` most frequent frames of each unit (share of sentences, with its Wilson score interval,
    `stats.wilson_interval`) and any frame tied with the last of them; above `NAMED` units, which frame leads
    most often and the frames of the `NAMED` largest units (the table holds every unit)."""
    units = units_of(tables)
    columns = ["article_id", "frame", "sentences", "sentence_share", "sentence_low", "sentence_high"]
    shares = units.shares.sort_values("sentence_share", ascending=False, kind="stable")
    cutoff = shares.groupby("article_id", sort=False)["sentence_share"].transform(lambda x: x.iloc[:top].min())
    best = shares[(shares["sentence_share"] >= cutoff) & (shares["sentence_share"] > 0)]
    order = {a: i for i, a in enumerate(units.ids)}
    best = best.sort_values("article_id", key=lambda ids: ids.map(order), kind="stable")
    if best.empty:
        return Finding("Which frames dominate", f"No sentence of the {units.noun} carries a frame of the dictionary.",
                       units.shown(shares[columns]), (units.figure("frame_shares"),))
    sizes = best.drop_duplicates("article_id").set_index("article_id")["sentences"]
    shown = list(sizes.index) if len(sizes) <= NAMED else list(sizes.sort_values(ascending=False, kind="stable")
                                                                   .index[:NAMED])
    parts = [f"in {units.name(a)} ({plural(int(g['sentences'].iloc[0]), 'sentence')}), "
             + listing([share_words(r) for r in g.itertuples()])
             for a, g in best.groupby("article_id", sort=False) if a in shown]
    opening = f"With the articles grouped by {units.grouping}, the" if units.kind == "group" else "The"
    text = f"{opening} most frequent frames are, " + "; ".join(parts) + "."
    if len(shown) < len(sizes):
        leaders = best.drop_duplicates("article_id")["frame"].value_counts()
        of_grouping = f" of articles grouped by {units.grouping}" if units.kind == "group" else ""
        text = (f"Across the {len(units.ids)} {units.noun}{of_grouping}, the frame that most often leads is "
                f"{frame_name(leaders.index[0])} (the most frequent in {leaders.iloc[0]} of them). In the {len(shown)} "
                f"{units.noun} with the most sentences, the most frequent frames are, " + "; ".join(parts)
                + f". `tables/{units.figure('frame_shares')}.csv` lists the other {len(sizes) - len(shown)}.")
    if len(sizes) < len(units.ids):
        silent = len(units.ids) - len(sizes)
        text += f" {plural(silent, units.kind)} {'carries' if silent == 1 else 'carry'} no frame at all."
    text += (" Each CI is the Wilson score interval of a share of sentences, which stays wide for a "
             f"{'short article' if units.kind == 'article' else 'group with few sentences'}.")
    return Finding("Which frames dominate", text,
                   units.shown(named_first(best, best[best["article_id"].isin(shown)])[columns]),
                   (units.figure("frame_shares"),))


def share_words(row) -> str:
    """'battlefield (37% of sentences, 95% CI 23–54%)', the interval a Wilson score interval."""
    return f"{frame_name(row.frame)} ({percent(row.sentence_share)} of sentences, " \
           f"{interval(row.sentence_low, row.sentence_high)})"


def frame_difference_finding(tables: dict, top: int = 2) -> Finding:
    """The `top` frames whose between-unit differences have the smallest permutation p-values (each frame named
    once, with its clearest comparison), how many comparisons survive correction, and the smallest difference
    the first comparison could detect; a note when there is only one unit."""
    units = units_of(tables)
    tests, title = units.tests, f"How the {units.noun} differ"
    if len(units.ids) < 2 or tests.empty:
        return Finding(title, f"With one {units.kind} there is nothing to compare.", units.shown(tests),
                       (units.figure("frame_shares"),))
    ranked = tests.sort_values(["p_value", "frame"], kind="stable")
    best = ranked.drop_duplicates("frame").head(top)
    parts = [f"{frame_name(r.frame)} ({percent(r.share)} of {units.owner(r.article_id)} sentences against "
             f"{percent(r.rest_share)} of {units.others(r.comparison)}; permutation test {p_text('p', r.p_value)}, "
             f"{p_text('q', r.q_value)})" for r in best.itertuples()]
    text = ("The clearest differences are in " + listing(parts) + f". q is the p-value corrected for all "
            f"{plural(len(tests), 'comparison')} ({compared(tests, units)}, Benjamini–Hochberg); "
            f"{surviving(tests)}." + detectable_sentence(best.iloc[0], tests))
    columns = ["article_id", "comparison", "frame", "sentences", "rest_sentences", "share", "rest_share",
               "difference", "detectable", "p_value", "q_value"]
    return Finding(title, text, units.shown(named_first(ranked, best)[columns]), (units.figure("frame_shares"),))


def compared(tests: pd.DataFrame, units: Units) -> str:
    """What the frame tests compared, for the correction's note: '6 frames, one article against the other' for
    two units (one comparison per frame), '6 frames × 5 groups, each against the rest' for more."""
    frames = plural(tests["frame"].nunique(), "frame")
    if len(units.ids) == 2:
        return f"{frames}, one {units.kind} against the other"
    return f"{frames} × {plural(tests['article_id'].nunique(), units.kind)}, each against the rest"


def surviving(tests: pd.DataFrame, *, of_all: bool = False) -> str:
    """How many of `tests` have q < 0.05: '1 of them has q < 0.05', or with `of_all` '0 of 1 comparison has
    q < 0.05', '2 of 5 comparisons have q < 0.05' (the verb agrees with a single one)."""
    flagged = int((tests["q_value"] < 0.05).sum())
    verb = "has" if flagged == 1 or (of_all and len(tests) == 1) else "have"
    return f"{flagged} of {plural(len(tests), 'comparison') if of_all else 'them'} {verb} q < 0.05"


def detectable_sentence(first, tests: pd.DataFrame) -> str:
    """How large a difference the first named comparison could detect, over the frames some sentence carries
    ('' when no frame does, or a side has fewer than two sentences)."""
    same = tests[(tests["article_id"] == first.article_id) & (tests["comparison"] == first.comparison)]
    same = same[same["detectable"] > 0]
    if same.empty or min(first.sentences, first.rest_sentences) < 2:
        return ""
    low, high = (round(100 * same["detectable"].agg(f)) for f in ("min", "max"))
    size = f"{low}" if low == high else f"{low} to {high}"
    return (f" With {first.sentences} and {first.rest_sentences} sentences on the two sides of the first of these "
            f"comparisons, a difference of about {size} percentage points (depending on the frame's share) is "
            f"detected only about half the time, and smaller ones are likely to be missed.")


def frame_voices(sentences: pd.DataFrame, frame: str) -> pd.DataFrame:
    """Per unit (column `unit`), most sentences first: sentences coded with `frame`, their share of the unit's
    sentences, and how many are quoted speech, by speaker."""
    coded = sentences[frame_sets(sentences).map(lambda ids: frame in ids)]
    totals = sentences.groupby("unit", sort=False).size()
    rows = [dict(article_id=a, frame=frame, sentences=len(g), share=len(g) / totals[a],
                 quoted=int((g["speaker"] != "").sum()), speakers=speaker_counts(g.loc[g["speaker"] != "", "speaker"]))
            for a, g in coded.groupby("unit", sort=False)]
    table = pd.DataFrame(rows, columns=["article_id", "frame", "sentences", "share", "quoted", "speakers"])
    return table.sort_values("sentences", ascending=False, kind="stable").reset_index(drop=True)


def speaker_counts(speakers: pd.Series) -> str:
    """Speakers with their number of sentences, most first: 'Qin Gang' alone, or 'Qin Gang (4) and Xi Jinping (1)'."""
    counts = speakers.value_counts()
    return counts.index[0] if len(counts) == 1 else listing([f"{name} ({n})" for name, n in counts.items()] or [""])


def voice_sentence(frame: str, table: pd.DataFrame, units: Units) -> str:
    """One sentence on where a frame appears and who voices it: the `NAMED` units with most such sentences, the
    others counted together."""
    if table.empty:
        return f"No sentence is coded {frame_name(frame)}."
    parts = []
    for r in table.head(NAMED).itertuples():
        who = (f"{r.quoted} inside quotation marks attributed to {r.speakers}" if r.quoted
               else "none inside quotation marks")
        parts.append(f"{plural(r.sentences, 'sentence')} of {units.name(r.article_id)} ({percent(r.share)} of "
                     f"its sentences; {who})")
    rest = table.iloc[NAMED:]
    if len(rest):
        quoted = int(rest["quoted"].sum())
        parts.append(f"{plural(int(rest['sentences'].sum()), 'sentence')} of {plural(len(rest), 'other ' + units.kind)}"
                     f" ({'none' if quoted == 0 else quoted} of them quoted)")
    return f"{capitalized(frame_name(frame))} language appears in " + listing(parts) + "."


def voices_finding(tables: dict) -> Finding:
    """Where the run's focus frames sit, and whose quotations carry them."""
    units, frames = units_of(tables), run_questions(tables).frames
    if not frames:
        return Finding("Who voices the frames", "No frame codes any sentence, so no frame is followed.",
                       pd.DataFrame(), ("frame_map",))
    found = [frame_voices(units.sentences, f) for f in frames]
    text = (" ".join(voice_sentence(f, t, units) for f, t in zip(frames, found))
            + literal_evidence(tables["sentences"], frames)
            + ' Sentences outside quotation marks include indirect speech ("X said that ..."), which is not '
              "attributed here.")
    return Finding(f"Who voices {listing([frame_name(f) for f in frames])} language", text,
                   units.shown(pd.concat(found, ignore_index=True)), ("frame_map",))


def literal_evidence(sentences: pd.DataFrame, frames: list[str]) -> str:
    """For a focus frame whose id is also one of its phrases ('invisible_hand' and "invisible hand"), how many
    of its sentences hold that phrase; '' for other frames."""
    notes = []
    for frame in frames:
        phrase = frame.replace("_", " ")
        evidence = [parse_evidence(e).get(frame, []) for e in sentences["frame_evidence"]]
        coded = sum(bool(found) for found in evidence)
        literal = sum(any(phrase in m for m in found) for found in evidence)
        if literal and " " in phrase:
            notes.append(f' The phrase "{phrase}" itself is among the evidence in {literal} of the '
                         f"{plural(coded, 'sentence')} coded {frame_name(frame)}.")
    return "".join(notes)


def voice_of(tables: dict, actor: str) -> list[str]:
    """Speakers in the sentences table who speak for `actor` (its people, or the actor itself)."""
    actors = {a.name: a for a in load_actors()}
    names = voice_names(actors[actor]) if actor in actors else {actor}
    return sorted(set(tables["sentences"]["speaker"]) & names)


def tone_groups(tables: dict) -> dict[str, pd.DataFrame]:
    """The sentences the tone finding compares: each focus frame's, each focus actor's quotations, and all other
    sentences (a sentence can be in several of the first groups)."""
    s, questions = tables["sentences"], run_questions(tables)
    frames = frame_sets(s)
    groups = {f"{frame_name(f)} sentences": s[frames.map(lambda ids, f=f: f in ids)] for f in questions.frames}
    groups |= {f"quotations of {possessive(a)} voices": s[s["speaker"].isin(voice_of(tables, a))] for a in questions.actors}
    covered = set().union(*(set(g.index) for g in groups.values()))
    return groups | {"all other sentences": s[~s.index.isin(covered)]}


def tone_finding(tables: dict) -> Finding:
    """Mean VADER compound of the focus frames' sentences and of the focus actors' quoted voices, against all
    other sentences (intervals, n)."""
    questions, groups = run_questions(tables), tone_groups(tables)
    numbers = pd.DataFrame([dict(group=name, **summarise(g["compound"])) for name, g in groups.items() if len(g)])
    voices = {a: voice_of(tables, a) for a in questions.actors}
    who = {f"quotations of {possessive(a)} voices": f" ({listing(v)})" for a, v in voices.items() if v}
    parts = [f"{r.group}{who.get(r.group, '')} {group_tone(r)}" for r in numbers.itertuples()]
    focus = [g for g in list(groups)[:-1] if len(groups[g])]
    shared = len(focus) > 1 and sum(len(groups[g]) for g in focus) > len(set().union(*(groups[g].index for g in focus)))
    silent = [possessive(a) for a, v in voices.items() if not v]
    overlap = overlap_note(numbers) if len(numbers) > 1 else ""
    text = ("On VADER's compound scale (−1 most negative, +1 most positive), " + listing(parts) + "."
            + (" Some sentences are in more than one of these sets (a sentence can carry several frames and be "
               "quoted)." if shared else "")
            + (f" {overlap}" if overlap else "")
            + (f" No quotation is attributed to {listing(silent)} voices." if silent else ""))
    about = [f"{frame_name(f)} language" for f in questions.frames] + [f"{possessive(a)} quoted voices" for a in questions.actors]
    return Finding(f"The tone of {listing(about)}" if about else "The tone of the sentences", text, numbers,
                   ("sentiment_frames", "sentiment_speakers"))


def group_tone(row) -> str:
    """A group's mean compound in words: with its 95% interval and n, or, for a `small` group (fewer than
    `sentiment.MIN_N` sentences), with n only."""
    if row.n == 1:
        return f"score {signed(row.mean)} (n = 1)"
    if row.small:
        return f"average {signed(row.mean)} (n = {row.n}, too few sentences for an interval)"
    return f"average {signed(row.mean)} ({interval(row.ci_low, row.ci_high, as_percent=False)}, n = {row.n})"


def overlap_note(numbers: pd.DataFrame) -> str:
    """Whether the 95% intervals (columns ci_low, ci_high) of the sets of sentences that are not `small` all
    overlap ('' if fewer than two sets have one); 'sets', as a grouped run's findings call its articles' groups
    'groups'."""
    spans = numbers[~numbers["small"].astype(bool)].dropna(subset=["ci_low", "ci_high"])
    if len(spans) < 2:
        return ""
    if spans["ci_low"].max() <= spans["ci_high"].min():
        return "The intervals overlap, so these sentences do not show that the sets differ in tone."
    return ("Some intervals do not overlap; that alone is not a test (these sets can share sentences), and no "
            "correction is made here for the number of sets compared.")


def group_tone_finding(tables: dict) -> Finding | None:
    """For a grouped run: each group's mean compound (interval, n) — above `NAMED` groups, those of the `NAMED`
    groups with the most sentences, as in `dominant_frames_finding` (the table holds every group, those named
    first) — and the permutation test of each group against the others (or the first against the second),
    Benjamini–Hochberg corrected; None without groups."""
    units, tests = units_of(tables), tables.get("group_tone_tests", pd.DataFrame())
    if units.kind != "group":
        return None
    numbers = pd.DataFrame([dict(group=g, **summarise(s["compound"])) for g, s in
                            units.sentences.groupby("unit", sort=False)])
    named = numbers.loc[sorted(numbers["n"].sort_values(ascending=False, kind="stable").index[:NAMED])]
    numbers = named_first(numbers, named)
    parts = [f"{units.name(r.group)}: {group_tone(r)}" for r in named.itertuples()]
    if len(numbers) > NAMED:
        parts.append(f"the other {len(numbers) - NAMED} groups, with fewer sentences, are in the table")
    text = "On VADER's compound scale, " + listing(parts) + "."
    if len(tests):
        best = tests.sort_values("p_value", kind="stable").iloc[0]
        text += (f" The clearest difference is {units.owner(best.article_id)} mean {signed(best['mean'])} against "
                 f"{signed(best.rest_mean)} for {units.others(best.comparison)} (permutation test "
                 f"{p_text('p', best.p_value)}, {p_text('q', best.q_value)}); {surviving(tests, of_all=True)}.")
    return Finding("How the groups differ in tone", text, numbers, (units.figure("sentiment_scores"),))


def keyness_finding(tables: dict, top: int = 3) -> Finding:
    """Each unit's most distinctive words and phrases by log-likelihood (the `NAMED` units with the strongest;
    the rest counted), and whether any survive correction."""
    units, title = units_of(tables), "What the vocabulary statistics single out"
    k = units.keyness
    if len(units.ids) < 2 or k.empty:
        return Finding(title, f"With one {units.kind} there is no keyness to compute.", units.shown(k),
                       (units.figure("keyness_words"),))
    key = k[k["direction"] == "target"].sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    best = key.groupby("article_id", sort=False).head(top)
    strongest = list(best.drop_duplicates("article_id")["article_id"])
    shown = [a for a in units.ids if a in strongest[:NAMED]]
    parts = [f"{units.name(a)}: " + ", ".join(f"*{r.term}* ({r.count_target} vs {r.count_reference}, "
                                               f"G² = {r.g2:.1f})" for r in g.itertuples())
             + tied_note(key[key["article_id"] == a], g)
             for a, g in best.groupby("article_id", sort=False) if a in shown]
    distinct = len(k[["term", "ngram"]].drop_duplicates())
    significant = len(k.loc[k["p_adjusted"] < 0.05, ["term", "ngram"]].drop_duplicates())
    rest = len(set(best["article_id"])) - len(shown)
    text = (f"The most distinctive terms (log-likelihood G², counts in the {units.kind} vs the rest) are, for "
            + "; for ".join(parts) + "."
            + (f" The table lists those of the other {plural(rest, units.kind)}." if rest else "")
            + f" {significant or 'None'} of the {distinct} distinct words and phrases tested "
            f"{'is' if significant == 1 else 'are'} significant for any {units.kind} after the Benjamini–Hochberg "
            "correction (adjusted p < 0.05, applied per unit and term length).")
    numbers = best[["article_id", "term", "count_target", "count_reference", "g2", "log_ratio", "p_adjusted"]]
    return Finding(title, text, units.shown(named_first(numbers, numbers[numbers["article_id"].isin(shown)])),
                   (units.figure("keyness_words"),))


def tied_note(ranked: pd.DataFrame, named: pd.DataFrame) -> str:
    """' (and k more terms with the same G²)' when terms not named tie with the last term named for one unit
    (`ranked`: the unit's key terms; `named`: those named), else ''."""
    last = named["g2"].iloc[-1]
    more = int((ranked["g2"] == last).sum()) - int((named["g2"] == last).sum())
    return f" (and {plural(more, 'more term')} with the same G²)" if more else ""


def shared_finding(tables: dict) -> Finding:
    """How similar the articles are (TF-IDF cosine) and how many passages of 8+ words they share."""
    sim, articles = tables["similarity"], tables["articles"]
    if len(articles) < 2 or sim.empty:
        return Finding("What the articles share", "With one article there is nothing shared to find.", sim, ())
    order = {a: i for i, a in enumerate(articles["article_id"])}
    pairs = sim[sim["article_a"].map(order) < sim["article_b"].map(order)].sort_values("cosine", ascending=False,
                                                                                      kind="stable")
    labels = dict(zip(articles["article_id"], articles["label"]))
    best = pairs.iloc[0]
    passages = tables["shared_passages"]
    scale = "1 means the same term profile, 0 no term in common"
    similar = (f"The two articles have a TF-IDF cosine similarity of {best.cosine:.2f} ({scale})" if len(pairs) == 1
               else f"Of the {len(pairs)} pairs of articles, the most similar is the {labels[best.article_a]} and "
                    f"{labels[best.article_b]} articles (TF-IDF cosine similarity {best.cosine:.2f}, where {scale})")
    text = (similar + "; "
            + (passages_sentence(passages, labels) if len(passages) else
               "no passage of 8 or more words appears in two articles, so none repeats another's wording at length "
               "(a common source reworded would not show here)."))
    return Finding("What the articles share", text, pairs, ("similarity_heatmap",))


def passages_sentence(passages: pd.DataFrame, labels: dict[str, str]) -> str:
    """'1 passage of 8 or more words appears in both the A and B articles (12 words).' or, for several, how many
    and where the longest is."""
    longest = passages.sort_values("words", ascending=False, kind="stable").iloc[0]
    where = f"the {labels[longest.article_a]} and {labels[longest.article_b]} articles"
    if len(passages) == 1:
        return f"1 passage of 8 or more words appears in both {where} ({longest.words} words)."
    return (f"{len(passages)} passages of 8 or more words appear in two articles each; the longest "
            f"({longest.words} words) is in {where}.")


FINDINGS = (dominant_frames_finding, frame_difference_finding, voices_finding, tone_finding, group_tone_finding,
            keyness_finding, shared_finding)


def all_findings(tables: dict) -> list[Finding]:
    """Every finding the run has, in reading order (the group findings only for a grouped run)."""
    return [found for finding in FINDINGS if (found := finding(tables)) is not None]


# --- README section ---------------------------------------------------------------------------------------------

QUOTE_HOLDOUT_FILE = config.ROOT / "benchmarks" / "results" / "quote_agreement_holdout.csv"  # quote_agreement.py's


def reliability_note(frame_file: Path = HOLDOUT_FILE, quote_file: Path = QUOTE_HOLDOUT_FILE) -> str:
    """One sentence on how far the automated codings held on blind-coded articles the package never saw, from the
    hold-out figures in `benchmarks/results/`: the study coding's micro-F1 and per-frame kappa next to the two
    human coders' kappa, and the share of quoted sentences found and given the right speaker; '' without them."""
    parts = []
    if frame_file.exists():
        study = pd.read_csv(frame_file).query("coder == 'combined'")
        micro, frames = study[study["frame"] == "all (micro)"].iloc[0], study[study["frame"] != "all (micro)"]
        parts.append(f"the frame coding agreed with careful human coders at micro-F1 {micro.f1:.2f} (Cohen's kappa "
                     f"{frames.kappa.min():.2f}–{frames.kappa.max():.2f} per frame, where two human coders agreed at "
                     f"{frames.coders_kappa.min():.2f}–{frames.coders_kappa.max():.2f}); {share_bias(frames)}")
    if quote_file.exists():
        package = pd.read_csv(quote_file).set_index("method").loc["package"]
        parts.append(f"{percent(package.recall)} of quoted sentences were found as quotations and "
                     f"{percent(package.speaker)} got the right speaker, so a speaker is a lead to check in the text")
    return ("*How far the automated codings hold: on blind-coded articles the study never saw (README, "
            "validation sections), " + "; ".join(parts) + ".*") if parts else ""


def share_bias(frames: pd.DataFrame) -> str:
    """How far a coded frame share strays from the human coders' share, from hold-out rows (frame, precision,
    recall): coded share / coders' share = recall / precision (both count the true positives), lowest and highest."""
    ratio = (frames["recall"] / frames["precision"]).set_axis(frames["frame"])
    low, high = ratio.idxmin(), ratio.idxmax()
    return (f"a coded frame share was {ratio[low]:.2f} times the coders' share for {frame_name(low)} up to "
            f"{ratio[high]:.2f} times for {frame_name(high)}, so shares are best compared between articles coded "
            "the same way, not read as levels")


def findings_markdown(out: str | Path = ".", *, figure_prefix: str = "figures/") -> str:
    """The README's findings section for the study in `out`: how far the codings hold (`reliability_note`), the
    loader's warnings about the input (`input_note`), then each finding's sentence and its figure (number and file
    from `figures/README.md`'s numbering)."""
    numbers, tables = figure_entries(out).set_index("name"), read_tables(out)
    lines, shown = [BEGIN, "<!-- Written by the study run from tables/: do not edit by hand. -->", ""], set()
    for note in (reliability_note(), input_note(tables)):
        lines += [note, ""] if note else []
    for finding in all_findings(tables):
        lines += [f"### {finding.title}", "", finding.text, ""]
        for figure in (f for f in finding.figures if f in numbers.index):
            entry = numbers.loc[figure]
            if figure in shown:
                lines += [f"*See Figure {entry.number} above.*", ""]
            else:
                lines += [f"![Figure {entry.number}]({figure_prefix}{figure}.png)", "",
                          f"*Figure {entry.number}: {title_of(entry.caption)}.*", ""]
            shown.add(figure)
    return "\n".join(lines + [END])


def input_note(tables: dict, *, shown: int = 5) -> str:
    """One line on the loader's warnings about the input (`tables["input_warnings"]`, chapter 1): the first
    `shown` of them and how many more; '' without warnings."""
    notes = list(tables["input_warnings"].get("warning", []))
    if not notes:
        return ""
    more = f"; and {len(notes) - shown} more" if len(notes) > shown else ""
    return (f"*The loader warned about the input {plural(len(notes), 'time')} (chapter 1, "
            f"`tables/input_warnings.csv`); read the findings with {'them' if len(notes) > 1 else 'it'} in mind: "
            + "; ".join(notes[:shown]) + more + ".*")


def replace_section(text: str, section: str) -> str:
    """`text` with the part between the findings markers (markers included) replaced by `section`; raises
    ValueError if the markers are missing."""
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise ValueError(f"README has no {BEGIN} … {END} markers")
    return pattern.sub(lambda _: section, text)


def readme_section(readme: Path = config.ROOT / "README.md") -> str:
    """The findings section currently in the README (markers included)."""
    match = re.search(re.escape(BEGIN) + ".*?" + re.escape(END), readme.read_text(), re.S)
    return match.group(0) if match else ""


def write_findings(out: Path, *, readme: Path | None = None) -> Path:
    """Write the findings section: into `readme` between its markers if given (the in-place study run), else to
    `<out>/FINDINGS.md`. Returns the file written."""
    section = findings_markdown(out)
    if readme is not None:
        replace_text(readme, replace_section(readme.read_text(encoding="utf-8"), section))
        return readme
    path = out / "FINDINGS.md"
    path.write_text("# Findings\n\n" + section + "\n")
    return path


# --- display in the summary notebook ----------------------------------------------------------------------------

def show_finding(finding: Finding, out: str | Path = ".", *, rows: int = 12) -> None:
    """Display a finding in a notebook: its title as a heading, its sentence, its figures
    (from `<out>/figures/`) and its numbers: every row, or the first `rows` (those the sentence names come
    first) with a line saying how many are left out."""
    from IPython.display import Image, Markdown, display

    display(Markdown(f"### {finding.title}\n\n{finding.text}"))
    for figure in finding.figures:
        png = config.figures_dir(out) / f"{figure}.png"
        if png.exists():
            display(Image(filename=str(png), width=640))
    numbers = finding.numbers.reset_index(drop=True)
    display(numbers.head(rows).round(3))
    if len(numbers) > rows:
        display(Markdown(f"*The first {rows} of {len(numbers)} rows: those the finding names, then the others; "
                         f"`findings.all_findings(read_tables(OUT))` holds every row.*"))


def limits_numbers(tables: dict) -> pd.DataFrame:
    """Per article: sentences, sentences with no frame, and quoted sentences: how much text the findings rest on."""
    s = tables["sentences"]
    return (s.assign(uncoded=s["frames"] == "", quoted=s["speaker"] != "")
            .groupby("article_id", sort=False)
            .agg(sentences=("sentence_index", "size"), uncoded=("uncoded", "sum"), quoted=("quoted", "sum"))
            .reset_index())


def lexicon_values(words: list[str]) -> pd.DataFrame:
    """VADER's lexicon valence (−4 to +4) of each word, 0.0 for a word the lexicon does not list."""
    lexicon = vader().lexicon
    return pd.DataFrame({"word": words, "valence": [lexicon.get(w, 0.0) for w in words],
                         "in_lexicon": [w in lexicon for w in words]})
