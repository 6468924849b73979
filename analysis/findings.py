"""Findings: the study's answers, stated in sentences whose numbers are read from the tables.

Each `*_finding` function takes the tables a study run wrote (`read_tables(out)`) and returns a `Finding`: one
sentence (Markdown), the small table of numbers behind it, and the name of the figure that shows it. The
summary notebook prints them and the run writes them into the README between marker comments, so the numbers
a reader sees are always those of the committed tables, for the seeds or for any other set of articles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.actors import load_actors
from analysis.figures import figure_entries, title_of
from analysis.frames import frame_labels, load_frames, parse_evidence
from analysis.outputs import replace_text
from analysis.sentiment import summarise
from analysis.tables import read_table

TABLES = ("articles", "sentences", "frame_shares", "frame_tests", "quotes", "keyness", "similarity",
          "shared_passages")
BEGIN, END = "<!-- findings:begin -->", "<!-- findings:end -->"
VOICE_ACTOR = "China"  # whose quoted voice the tone finding compares with battlefield reporting


@dataclass
class Finding:
    """A finding: a title, one Markdown sentence (or a few), the numbers behind it and the names of the figures that
    show it (none drawn when a run made no such figure)."""

    title: str
    text: str
    numbers: pd.DataFrame
    figures: tuple[str, ...]


def read_tables(out: str | Path = ".") -> dict[str, pd.DataFrame]:
    """The study tables the findings use, read from `<out>/tables/`; a table the run did not write (keyness,
    similarity and frame tests need two articles) is an empty table."""
    folder = config.tables_dir(out)
    return {name: read_table(name, out) if (folder / f"{name}.csv").exists() else pd.DataFrame() for name in TABLES}


def percent(share: float) -> str:
    """A share (0–1) as a whole percentage, e.g. '37%'."""
    return f"{100 * share:.0f}%"


def interval(low: float, high: float, *, as_percent: bool = True) -> str:
    """A 95% interval in words: '16–58%' for shares or '−0.29 to 0.14' for scores."""
    if as_percent:
        return f"95% CI {100 * low:.0f}–{100 * high:.0f}%"
    return f"95% CI {signed(low)} to {signed(high)}"


def share_interval(low, high) -> str:
    """`interval` of a share's bounds, or a note where there is none (blank, NaN: fewer than two sentences)."""
    numbers = all(isinstance(x, (int, float)) and x == x for x in (low, high))
    return interval(low, high) if numbers else "too few sentences for an interval"


def signed(value: float) -> str:
    """A score with two decimals and a true minus sign, e.g. '−0.19' or '+0.02'."""
    return f"{value:+.2f}".replace("-", "−")


def frame_name(frame_id: str) -> str:
    """Readable frame name: the dictionary's label, lower-cased ('external blame / invisible hand'); for a frame
    not in the dictionary, its id made readable ('de_escalation' → 'de-escalation')."""
    labels = dictionary_labels()
    return labels[frame_id].lower() if frame_id in labels else frame_id.replace("de_", "de-").replace("_", " ")


@cache
def dictionary_labels() -> dict[str, str]:
    """`frames.frame_labels` of the package's frame dictionary (read once)."""
    return frame_labels(load_frames())


def labels_of(tables: dict) -> dict[str, str]:
    """Chart label of each article id."""
    return dict(zip(tables["articles"]["article_id"], tables["articles"]["label"]))


def listing(parts: list[str]) -> str:
    """Parts joined as English prose: 'a', 'a and b', 'a, b and c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# --- the findings -----------------------------------------------------------------------------------------------

def dominant_frames_finding(tables: dict, top: int = 2) -> Finding:
    """The `top` most frequent frames of each article (share of sentences with its bootstrap interval), and any
    frame tied with the last of them."""
    shares = tables["frame_shares"].sort_values("sentence_share", ascending=False, kind="stable")
    cutoff = shares.groupby("article_id", sort=False)["sentence_share"].transform(lambda x: x.iloc[:top].min())
    best = shares[(shares["sentence_share"] >= cutoff) & (shares["sentence_share"] > 0)]
    order = {a: i for i, a in enumerate(tables["articles"]["article_id"])}
    best = best.sort_values("article_id", key=lambda ids: ids.map(order), kind="stable")
    labels = labels_of(tables)
    parts = [f"in the {labels[a]} article ({len(tables['sentences'].query('article_id == @a'))} sentences), "
             + listing([f"{frame_name(r.frame)} ({percent(r.sentence_share)} of sentences, "
                        f"{share_interval(r.sentence_low, r.sentence_high)})" for r in g.itertuples()])
             for a, g in best.groupby("article_id", sort=False)]
    text = "The most frequent frames are, " + "; ".join(parts) + "."
    return Finding("Which frames dominate", text, best[["article_id", "frame", "sentences", "sentence_share",
                                                        "sentence_low", "sentence_high"]], ("frame_shares",))


def frame_difference_finding(tables: dict, top: int = 2) -> Finding:
    """The `top` between-article differences in frame shares with the smallest permutation p-values, and the
    smallest difference the data could detect; a note when there is only one article."""
    tests = tables["frame_tests"]
    if len(tables["articles"]) < 2 or tests.empty:
        return Finding("How the articles differ", "With one article there is nothing to compare.", tests,
                       ("frame_shares",))
    labels = labels_of(tables)
    best = tests.sort_values(["p_value", "frame"], kind="stable").head(top)
    parts = [f"{frame_name(r.frame)} ({percent(r.share)} of the {labels[r.article_id]} article's sentences against "
             f"{percent(r.rest_share)} of {'the ' + labels[r.comparison] + ' article' if r.comparison in labels else 'the other articles'}"
             f"; permutation test p = {r.p_value:.3f}, q = {r.q_value:.3f})" for r in best.itertuples()]
    flagged = int((tests["q_value"] < 0.05).sum())
    first = best.iloc[0]
    same = tests[(tests["article_id"] == first.article_id) & (tests["comparison"] == first.comparison)]
    low, high = (round(100 * same["detectable"].agg(f)) for f in ("min", "max"))
    size = f"{low}" if low == high else f"{low}–{high}"
    text = (f"The clearest differences are in " + listing(parts) + f". q is the p-value corrected for testing "
            f"{tests['frame'].nunique()} frames (Benjamini–Hochberg); {flagged} of {len(tests)} comparisons "
            f"have q < 0.05. With {first.sentences} and {first.rest_sentences} sentences, a difference of about "
            f"{size} percentage points (depending on the frame's share) is detected only about half the time, "
            f"and smaller ones are likely to be missed.")
    return Finding("How the articles differ", text, tests[["article_id", "comparison", "frame", "share", "rest_share",
                                                           "difference", "detectable", "p_value", "q_value"]],
                   ("frame_shares",))


def frame_voices(tables: dict, frame: str) -> pd.DataFrame:
    """Per article: sentences coded with `frame`, and how many of them are quoted speech, by speaker."""
    s = tables["sentences"]
    coded = s[s["frames"].str.split(";").map(lambda ids: frame in ids)]
    rows = [dict(article_id=a, frame=frame, sentences=len(g), share=len(g) / (s["article_id"] == a).sum(),
                 quoted=int((g["speaker"] != "").sum()),
                 speakers=speaker_counts(g.loc[g["speaker"] != "", "speaker"]))
            for a, g in coded.groupby("article_id", sort=False)]
    return pd.DataFrame(rows, columns=["article_id", "frame", "sentences", "share", "quoted", "speakers"])


def speaker_counts(speakers: pd.Series) -> str:
    """Speakers with their number of sentences, most first: 'Qin Gang' alone, or 'Qin Gang (4) and Xi Jinping (1)'."""
    counts = speakers.value_counts()
    return counts.index[0] if len(counts) == 1 else listing([f"{name} ({n})" for name, n in counts.items()] or [""])


def voice_sentence(frame: str, table: pd.DataFrame, labels: dict) -> str:
    """One sentence on where a frame appears and who voices it."""
    if table.empty:
        return f"No sentence is coded {frame_name(frame)}."
    parts = []
    for r in table.itertuples():
        who = (f"{r.quoted} inside quotation marks attributed to {r.speakers}" if r.quoted
               else "none inside quotation marks")
        parts.append(f"{r.sentences} sentence{'s' * (r.sentences != 1)} of the {labels[r.article_id]} article "
                     f"({percent(r.share)} of its sentences; {who})")
    name = frame_name(frame)
    return f"{name[0].upper() + name[1:]} language appears in " + listing(parts) + "."


def invisible_hand_finding(tables: dict) -> Finding:
    """Where the invisible-hand and de-escalation frames sit, and whose quotations carry them."""
    labels = labels_of(tables)
    blame, peace = frame_voices(tables, "invisible_hand"), frame_voices(tables, "de_escalation")
    literal = sum(any("invisible hand" in m for m in parse_evidence(e).get("invisible_hand", []))
                  for e in tables["sentences"]["frame_evidence"])
    text = (voice_sentence("invisible_hand", blame, labels)
            + (f' The phrase "invisible hand" itself is among the evidence in {literal} of these sentences.'
               if len(blame) else "")
            + " " + voice_sentence("de_escalation", peace, labels)
            + ' Sentences outside quotation marks include indirect speech ("X said that ..."), which is not '
              "attributed here.")
    return Finding("Who voices external blame and de-escalation", text, pd.concat([blame, peace]), ("frame_map",))


def voice_of(tables: dict, actor: str) -> list[str]:
    """Speakers in the sentences table who speak for `actor` (its people, or the actor itself)."""
    actors = {a.name: a for a in load_actors()}
    names = {actor} | ({p.name for p in actors[actor].people} if actor in actors else set())
    return sorted(set(tables["sentences"]["speaker"]) & names)


def tone_finding(tables: dict, actor: str = VOICE_ACTOR) -> Finding:
    """Mean VADER compound of battlefield sentences against sentences quoting `actor`'s voices (intervals, n)."""
    s = tables["sentences"]
    speakers = voice_of(tables, actor)
    groups = {"battlefield sentences": s[s["frames"].str.split(";").map(lambda ids: "battlefield" in ids)],
              f"quotations of {actor}'s voices": s[s["speaker"].isin(speakers)],
              "all other sentences": s[~s["frames"].str.contains("battlefield") & ~s["speaker"].isin(speakers)]}
    rows = [dict(group=name, **summarise(g["compound"])) for name, g in groups.items() if len(g)]
    numbers = pd.DataFrame(rows)
    who = {f"quotations of {actor}'s voices": f" ({listing(speakers)})"} if speakers else {}
    parts = [f"{r.group}{who.get(r.group, '')} {group_tone(r)}" for r in numbers.itertuples()]
    both = len(groups["battlefield sentences"].index.intersection(groups[f"quotations of {actor}'s voices"].index))
    overlap = overlap_note(numbers) if len(numbers) > 1 else ""
    text = (f"On VADER's compound scale (−1 most negative, +1 most positive), " + listing(parts) + "."
            + (f" {both} sentence{'s' * (both != 1)} {'are' if both != 1 else 'is'} in both of the first two groups."
               if both else "")
            + (f" {overlap}" if overlap else "")
            + ("" if speakers else f" No quotation is attributed to {actor}'s voices."))
    return Finding(f"The tone of battlefield reporting and of {actor}'s quoted voices", text, numbers,
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
    """Whether the 95% intervals (columns ci_low, ci_high) of the groups that are not `small` all overlap, which
    no test here can settle ('' if fewer than two groups have one)."""
    spans = numbers[~numbers["small"].astype(bool)].dropna(subset=["ci_low", "ci_high"])
    if len(spans) < 2:
        return ""
    if spans["ci_low"].max() <= spans["ci_high"].min():
        return "The intervals overlap, so these sentences do not show that the groups differ in tone."
    return "Intervals that do not overlap suggest a difference in tone; no test here corrects for the choice of groups."


def keyness_finding(tables: dict, top: int = 3) -> Finding:
    """Each article's most distinctive words and phrases by log-likelihood, and whether any survive correction."""
    k = tables["keyness"]
    if len(tables["articles"]) < 2 or k.empty:
        return Finding("What the vocabulary statistics single out", "With one article there is no keyness to compute.",
                       k, ("keyness_words",))
    key = k[k["direction"] == "target"].sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    best = key.groupby("article_id", sort=False).head(top)
    labels = labels_of(tables)
    parts = [f"the {labels[a]} article: " + ", ".join(f"*{r.term}* ({r.count_target} vs {r.count_reference}, "
                                                       f"G² = {r.g2:.1f})" for r in g.itertuples())
             + tied_note(key[key["article_id"] == a], g)
             for a, g in best.groupby("article_id", sort=False)]
    distinct = len(k[["term", "ngram"]].drop_duplicates())
    significant = len(k.loc[k["p_adjusted"] < 0.05, ["term", "ngram"]].drop_duplicates())
    text = ("The most distinctive terms (log-likelihood G², counts in the article vs the rest) are, for "
            + "; for ".join(parts) + f". {significant or 'None'} of the {distinct} distinct words and phrases "
            f"tested {'is' if significant == 1 else 'are'} significant for any article after the Benjamini–Hochberg "
            "correction (adjusted p < 0.05, applied per article and term length).")
    return Finding("What the vocabulary statistics single out", text,
                   best[["article_id", "term", "count_target", "count_reference", "g2", "log_ratio", "p_adjusted"]],
                   ("keyness_words",))


def tied_note(ranked: pd.DataFrame, named: pd.DataFrame) -> str:
    """' (and k more terms with the same G²)' when terms not named tie with the last term named for one article
    (`ranked`: the article's key terms; `named`: those named), else ''."""
    last = named["g2"].iloc[-1]
    more = int((ranked["g2"] == last).sum()) - int((named["g2"] == last).sum())
    return f" (and {more} more term{'s' * (more != 1)} with the same G²)" if more else ""


def shared_finding(tables: dict) -> Finding:
    """How similar the articles are (TF-IDF cosine) and how many passages of 8+ words they share."""
    sim = tables["similarity"]
    if len(tables["articles"]) < 2 or sim.empty:
        return Finding("What the articles share", "With one article there is nothing shared to find.", sim, ())
    order = {a: i for i, a in enumerate(tables["articles"]["article_id"])}
    pairs = sim[sim["article_a"].map(order) < sim["article_b"].map(order)]
    labels = labels_of(tables)
    best = pairs.loc[pairs["cosine"].idxmax()]
    passages = tables["shared_passages"]
    similar = (f"The two articles have a TF-IDF cosine similarity of {best.cosine:.2f}" if len(pairs) == 1 else
               f"The most similar pair is the {labels[best.article_a]} and {labels[best.article_b]} articles "
               f"(TF-IDF cosine similarity {best.cosine:.2f})")
    text = (similar + " (1 means the same term profile, 0 no term in common); "
            + (f"{len(passages)} passage{'s' * (len(passages) != 1)} of 8 or more words appear in two articles "
               f"(the longest has {passages['words'].max()} words)." if len(passages) else
               "no passage of 8 or more words appears in two articles, so none repeats another's wording at length "
               "(a common source reworded would not show here)."))
    return Finding("What the articles share", text, pairs.sort_values("cosine", ascending=False).head(10),
                   ("similarity_heatmap",))


FINDINGS = (dominant_frames_finding, frame_difference_finding, invisible_hand_finding, tone_finding,
            keyness_finding, shared_finding)


def all_findings(tables: dict) -> list[Finding]:
    """Every finding of the study, in reading order."""
    return [finding(tables) for finding in FINDINGS]


# --- README section ---------------------------------------------------------------------------------------------

def findings_markdown(out: str | Path = ".", *, figure_prefix: str = "figures/") -> str:
    """The README's findings section for the study in `out`: each finding's sentence and its figure (number and
    file from `figures/README.md`'s numbering)."""
    numbers = figure_entries(out).set_index("name")
    lines, shown = [BEGIN, "<!-- Written by the study run from tables/: do not edit by hand. -->", ""], set()
    for finding in all_findings(read_tables(out)):
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
    """Display a finding in a notebook: its sentence, its figures (from `<out>/figures/`) and its numbers."""
    from IPython.display import Image, Markdown, display

    display(Markdown(finding.text))
    for figure in finding.figures:
        png = config.figures_dir(out) / f"{figure}.png"
        if png.exists():
            display(Image(filename=str(png), width=640))
    display(finding.numbers.head(rows).round(3))


def limits_numbers(tables: dict) -> pd.DataFrame:
    """Per article: sentences, sentences with no frame, and quoted sentences: how much text the findings rest on."""
    s = tables["sentences"]
    return (s.assign(uncoded=s["frames"] == "", quoted=s["speaker"] != "")
            .groupby("article_id", sort=False)
            .agg(sentences=("sentence_index", "size"), uncoded=("uncoded", "sum"), quoted=("quoted", "sum"))
            .reset_index())


def lexicon_values(words: list[str]) -> pd.DataFrame:
    """VADER's lexicon valence (−4 to +4) of each word, 0.0 for a word the lexicon does not list."""
    from analysis.sentiment import analyzer

    lexicon = analyzer().lexicon
    return pd.DataFrame({"word": words, "valence": [lexicon.get(w, 0.0) for w in words],
                         "in_lexicon": [w in lexicon for w in words]})
