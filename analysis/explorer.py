"""The explorer page: every number of the study read back to its sentences, in the browser, offline.

`write_explorer(out)` turns the tables a run wrote to `<out>/tables/` (articles.csv, sentences.csv, keyness.csv,
tfidf_terms.csv) into one self-contained page, `<out>/explorer.html`: Bokeh's JavaScript inlined
(`bokeh.resources.INLINE`, from the pinned `bokeh` package), the data inlined as Bokeh data sources, and one
CustomJS callback (`data/explorer.js`) linking the views, so it opens from disk with no server and no network.

- Term view (interactive Figure 2.4, keyness scatter): each term placed by its frequency per 1,000 terms in one
  article, or one group of articles, (y) against the rest of the corpus (x), log scales, a zero count taken as 0.5
  as in the static figure. Terms at the same point share one circle (same counts, so the same G² and Log Ratio);
  its area grows with their number. Hover: terms, counts, G², Log Ratio. A click on a circle, a row of the term
  table or a search selects terms; their keyword-in-context lines are listed, the compared side's first.
- Frame map (interactive Figure 3.2): a row per article, a cell per sentence coloured by frame (stacked slices
  for several frames, grey for none), colours as in the study's figures (`plots.framing.frame_colours`,
  Okabe–Ito). A click on a cell, or on a row of the sentence list, shows the sentence with its frames, the
  dictionary matches that decided each, its speaker and VADER's compound score.
- Filters by article (or group), frame and speaker dim the frame map's other cells and choose the sentence list.

The terms shown for a compared side are those it uses with a corpus count of at least the keyness floor (the
rows of keyness.csv, as the static figure), plus the `REFERENCE_TERMS` terms most key for the rest of the corpus.
Keyword-in-context lines are the occurrences the study counted: each sentence's word tokens are the pipeline's
(`text.word_tokens`), its terms found as `vocabulary.sentence_terms` finds them, and each occurrence stored as a
character span of the raw sentence, so a term's lines number exactly its counts.

The page grows with the corpus (about 2 MB of JavaScript, plus roughly 1 MB per 1,000 sentences); `score` writes it
for corpora of up to `MAX_ARTICLES` articles, where keyness.csv holds every term tested.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.frames import frame_labels, load_frames
from analysis.tables import read_table
from analysis.text import is_word, shorten, term, word_tokens
from analysis.vocabulary import per_thousand

EXPLORER = "explorer.html"
MAX_ARTICLES = 50         # score writes the page up to this many articles (keyness.csv complete up to LARGE_CORPUS)
REFERENCE_TERMS = 25      # per compared side, the terms most key for the rest of the corpus, shown even if unused
TERMS_PER_POINT = 6       # terms named in a circle's hover text before "+ k more"
UNCODED_LABEL = "no frame"
LOG_TICKS = [m * 10.0 ** e for e in range(-3, 4) for m in (1, 2, 5)]  # term view axes, per 1,000 terms
REST_COLOUR = "#808080"   # circles of terms more frequent in the rest of the corpus
NARRATION = "(no speaker: narration or unattributed)"
TITLE = "Explorer: the study's numbers and their sentences"
SCRIPT = config.PACKAGE_DATA / "explorer.js"
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'  # phones lay it out at their width


@dataclass
class ExplorerData:
    """What the page shows, as tables: articles (id, label, group), compared sides (`targets`: name, label,
    article ids), sentences, term view points and terms, term occurrences, frames (id → label) and their colours."""

    articles: pd.DataFrame
    targets: list[dict]
    sentences: pd.DataFrame
    points: pd.DataFrame
    terms: pd.DataFrame
    occurrences: pd.DataFrame
    frames: dict[str, str]
    colours: dict[str, str]


# --- term occurrences ----------------------------------------------------------------------------------------------

def token_spans(text: str, tokens: list[str]) -> list[tuple[int, int] | None]:
    """Character span (start, end) in `text` of each of its word tokens (`text.word_tokens`), found in order; None
    for a punctuation token or one the tokenizer rewrote (curly quotes are made straight, one character for one,
    so spans hold for the raw text)."""
    plain = text
    for curly, straight in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("″", '"')):
        plain = plain.replace(curly, straight)
    spans: list[tuple[int, int] | None] = []
    at = 0
    for token in tokens:
        found = plain.find(token, at) if is_word(token) else -1
        spans.append(None if found < 0 else (found, found + len(token)))
        at = found + len(token) if found >= 0 else at
    return spans


def sentence_occurrences(text: str, ngrams: tuple[int, ...] = (1, 2)) -> list[tuple[str, int, int]]:
    """Each term occurrence of one raw sentence as (term, start, end): the terms `vocabulary.sentence_terms` counts
    (runs of `n` adjacent tokens that are all terms), with the character span from the first to the last token."""
    tokens = word_tokens(text)
    kept, spans = [term(token) for token in tokens], token_spans(text, tokens)
    found = []
    for n in ngrams:
        for i in range(len(tokens) - n + 1):
            gram = kept[i:i + n]
            if None not in gram and spans[i] is not None and spans[i + n - 1] is not None:
                found.append((" ".join(gram), spans[i][0], spans[i + n - 1][1]))
    return found


def term_occurrences(sentences: pd.DataFrame, wanted: set[str]) -> pd.DataFrame:
    """Occurrences of the terms `wanted` in a sentences table (row order): term, s (row position), start, end."""
    rows = [(t, s, start, end) for s, text in enumerate(sentences["text"])
            for t, start, end in sentence_occurrences(text) if t in wanted]
    return pd.DataFrame(rows, columns=["term", "s", "start", "end"])


# --- the data ------------------------------------------------------------------------------------------------------

def compared_sides(articles: pd.DataFrame, group: str | None, names: dict[str, str] | None = None) -> list[dict]:
    """The sides the term view compares with the rest: each article, then each value of column `group` of the
    articles table (if given and present, and it splits the corpus in two or more), labelled by `names` (value →
    label, a study run's `group_label`, as its figures name the groups) or as 'column: value'."""
    sides = [dict(name=a, label=label, ids=[a]) for a, label in zip(articles["article_id"], articles["label"])]
    names = names or {}
    if group and group in articles.columns:
        values = articles[group].astype(str)
        if values.nunique() > 1:
            sides += [dict(name=f"{group}={value}", label=names.get(value) or f"{group}: {value or '(none)'}",
                           ids=list(articles.loc[values == value, "article_id"])) for value in dict.fromkeys(values)]
    return sides


def side_keyness(keyness: pd.DataFrame, tfidf: pd.DataFrame, side: dict, all_ids: list[str]) -> pd.DataFrame:
    """Keyness rows of one compared side against the rest: an article's own rows of keyness.csv; for a group,
    the same statistics (`vocabulary.keyness_one_vs_rest`, floor and prior as in keyness.csv) from the articles'
    term counts in tfidf_terms.csv."""
    if len(side["ids"]) == 1:
        return keyness[keyness["article_id"] == side["ids"][0]]
    from analysis.vocabulary import keyness_one_vs_rest

    first = keyness.iloc[0]
    parts = []
    for n in sorted(keyness["ngram"].unique()):
        rows = tfidf[tfidf["ngram"] == n]
        inside = rows["article_id"].isin(side["ids"])
        counts = pd.DataFrame({"side": rows[inside].groupby("term")["count"].sum(),
                               "rest": rows[~inside].groupby("term")["count"].sum()}).fillna(0).astype(int)
        parts.append(keyness_one_vs_rest(counts, "side", measure=first["measure"], min_count=int(first["min_count"]),
                                         prior_total=float(first["prior_total"])).assign(ngram=n))
    return pd.concat(parts, ignore_index=True)


def side_terms(rows: pd.DataFrame, *, reference: int = REFERENCE_TERMS) -> pd.DataFrame:
    """The terms the term view shows for one side (its keyness rows): those it uses, and the `reference` terms
    with the largest G² for the rest; with x and y per 1,000 terms of the same length (a zero count as 0.5)."""
    used = rows[rows["count_target"] > 0]
    rest = rows[(rows["count_target"] == 0) & (rows["direction"] == "reference")]
    rows = per_thousand(pd.concat([used, rest.sort_values(["g2", "term"], ascending=[False, True]).head(reference)]))
    signed = np.where(rows["direction"] == "target", rows["g2"], -rows["g2"])
    return (rows.assign(signed=signed).sort_values(["signed", "term"], ascending=[False, True])
            [["term", "ngram", "count_target", "count_reference", "g2", "log_ratio", "p_adjusted", "direction", "x",
              "y"]])


def term_view(keyness: pd.DataFrame, tfidf: pd.DataFrame, sides: list[dict],
              all_ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The term view's circles (one per side and point: terms with the same counts) and terms (one row per side
    and term, strongest keywords of the side first, each with its circle's row)."""
    terms = []
    for k, side in enumerate(sides):
        if keyness.empty:
            break
        terms.append(side_terms(side_keyness(keyness, tfidf, side, all_ids)).assign(side=k))
    if not terms:
        return (pd.DataFrame(columns=["side", "ngram", "x", "y", "count_target", "count_reference", "g2", "log_ratio",
                                      "direction", "n", "terms", "colour"]),
                pd.DataFrame(columns=["side", "term", "ngram", "count_target", "count_reference", "g2", "log_ratio",
                                      "p_adjusted", "point"]))
    table = pd.concat(terms, ignore_index=True)
    keys = ["side", "ngram", "count_target", "count_reference"]
    table["point"] = table.groupby(keys, sort=False).ngroup()
    points = table.groupby("point").agg(
        side=("side", "first"), ngram=("ngram", "first"), x=("x", "first"), y=("y", "first"),
        count_target=("count_target", "first"), count_reference=("count_reference", "first"), g2=("g2", "first"),
        log_ratio=("log_ratio", "first"), direction=("direction", "first"), n=("term", "size"),
        terms=("term", lambda found: point_terms(list(found))))
    colours = side_colours([side["name"] for side in sides])
    points["colour"] = [colours[sides[k]["name"]] if d == "target" else REST_COLOUR
                        for k, d in zip(points["side"], points["direction"])]
    return points.reset_index(drop=True), table


def side_colours(names: list[str]) -> dict[str, str]:
    """The colour of each compared side: the study's article colours (`figures.article_colours`, Okabe–Ito)."""
    from analysis.figures import article_colours  # matplotlib loads only when a page is written

    return article_colours(names)


def point_terms(terms: list[str], shown: int = TERMS_PER_POINT) -> str:
    """The hover text naming the terms of one circle: the first `shown`, then '+ k more'."""
    more = len(terms) - shown
    return ", ".join(terms[:shown]) + (f" + {more} more" if more > 0 else "")


def explorer_data(out: str | Path = ".", *, group: str | None = None) -> ExplorerData:
    """`ExplorerData` from the tables in `<out>/tables/` (articles, sentences, keyness and tfidf_terms; keyness
    and tfidf_terms may be missing, as for one article, and then the term view is empty); `group` names a column
    of articles.csv whose values are compared as groups too; by default, a grouped study run's groups
    (`groups.csv`, the grouping named in `questions.csv`) are."""
    articles = read_table("articles", out)
    sentences = read_table("sentences", out)
    tables, names = config.tables_dir(out), {}
    if group is None and (tables / "groups.csv").exists():  # a grouped study run: its groups (`questions`)
        groups = read_table("groups", out)
        group = read_table("questions", out).set_index("question").at["group", "value"]
        articles = articles.drop(columns=group, errors="ignore").merge(
            groups[["article_id", "group"]].rename(columns={"group": group}), on="article_id", how="left")
        names = dict(zip(groups["group"].astype(str), groups["group_label"]))
    keyness = read_table("keyness", out) if (tables / "keyness.csv").exists() else pd.DataFrame()
    tfidf = (read_table("tfidf_terms", out) if group and (tables / "tfidf_terms.csv").exists()
             else pd.DataFrame(columns=["article_id", "term", "ngram", "count"]))
    sides = compared_sides(articles, group, names)
    points, terms = term_view(keyness, tfidf, sides, list(articles["article_id"]))
    frames = frame_labels(load_frames())
    from analysis.plots.framing import UNCODED, frame_colours  # matplotlib loads only when a page is written

    colours = frame_colours(list(frames))
    unknown = {f for found in sentences["frames"] for f in str(found).split(";") if f and f not in frames}
    frames |= {f: f for f in sorted(unknown)}  # a frame the dictionary no longer has keeps its id as label
    colours |= {f: UNCODED for f in unknown}
    occurrences = term_occurrences(sentences, set(terms["term"]))
    return ExplorerData(articles, sides, sentences, points, terms, occurrences, frames, colours)


# --- the page ------------------------------------------------------------------------------------------------------

def frame_cells(data: ExplorerData) -> dict:
    """Columns of the frame map's cells: one per sentence and frame it carries (stacked slices), or one grey
    cell for a sentence with no frame; x = sentence position in the article (1-based), row = article."""
    row_of = {a: i for i, a in enumerate(data.articles["article_id"])}
    cells: dict[str, list] = {k: [] for k in ("x", "left", "right", "top", "bottom", "colour", "s", "frame_label",
                                              "alpha")}
    positions: dict[str, int] = {}
    for s, (article_id, found) in enumerate(zip(data.sentences["article_id"], data.sentences["frames"])):
        positions[article_id] = positions.get(article_id, 0) + 1
        frames_ = [f for f in str(found).split(";") if f] or [""]
        row, height = row_of[article_id], 0.8 / len(frames_)
        for k, frame in enumerate(frames_):
            cells["x"].append(positions[article_id])
            cells["left"].append(positions[article_id] - 0.46)
            cells["right"].append(positions[article_id] + 0.46)
            cells["top"].append(row - 0.4 + (k + 1) * height)
            cells["bottom"].append(row - 0.4 + k * height)
            cells["colour"].append(data.colours.get(frame, data.colours[""]))
            cells["s"].append(s)
            cells["frame_label"].append(data.frames.get(frame, UNCODED_LABEL))
            cells["alpha"].append(1.0)
    return cells


def sentence_columns(data: ExplorerData) -> dict:
    """Columns of the sentences source: article row, sentence number, kind, raw text, frame ids, evidence,
    speaker, compound, and each sentence's group value (for the group filter)."""
    row_of = {a: i for i, a in enumerate(data.articles["article_id"])}
    s = data.sentences
    return dict(a=[row_of[a] for a in s["article_id"]], n=s["sentence_index"].astype(int).tolist(),
                kind=s["kind"].astype(str).tolist(), text=s["text"].astype(str).tolist(),
                frames=s["frames"].astype(str).tolist(), evidence=s["frame_evidence"].astype(str).tolist(),
                speaker=s["speaker"].astype(str).tolist(), compound=s["compound"].astype(float).tolist())


def speaker_options(sentences: pd.DataFrame) -> list[tuple[str, str]]:
    """Options of the speaker filter: all, none (narration), any named speaker, then each speaker with its
    number of sentences, most frequent first."""
    counts = sentences.loc[sentences["speaker"] != "", "speaker"].value_counts()
    counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    return ([("*", "All sentences"), ("", NARRATION), ("+", "Any named speaker")]
            + [(f"={name}", f"{name} ({n})") for name, n in counts.items()])


def legend_html(data: ExplorerData) -> str:
    """The frame legend: a colour swatch and label per frame, then 'no frame'."""
    items = [(data.colours[f], label) for f, label in data.frames.items() if f in data.colours]
    items.append((data.colours[""], UNCODED_LABEL))
    return "".join(f'<span class="key"><span class="swatch" style="background:{colour}"></span>'
                   f'{html.escape(label)}</span>' for colour, label in items)


CSS = """
:host { font-family: "DejaVu Sans", Verdana, sans-serif; font-size: 14px; line-height: 1.45; color: #222; }
h1 { font-size: 20px; margin: 4px 0; } h2 { font-size: 17px; margin: 14px 0 4px; }
p { margin: 4px 0; max-width: 75ch; }
.key { display: inline-block; margin: 2px 14px 2px 0; white-space: nowrap; }
.swatch { display: inline-block; width: 14px; height: 14px; margin-right: 5px; vertical-align: -2px;
          border: 1px solid #666; }
.kwic { font-family: "DejaVu Sans Mono", monospace; font-size: 13px; border-collapse: collapse; width: 100%; }
.kwic td { padding: 1px 4px; vertical-align: top; white-space: nowrap; } .kwic .left { text-align: right; }
.kwic .match { font-weight: bold; white-space: nowrap; } .kwic .who { color: #555; white-space: nowrap; }
.kwic tr:nth-child(even) { background: #f3f3f3; }
mark { background: #fff3b0; padding: 0 1px; }
.sentence { font-size: 15px; margin: 6px 0; max-width: 75ch; }
dl { margin: 4px 0; } dt { font-weight: bold; margin-top: 4px; } dd { margin: 0 0 0 16px; }
.note { color: #555; }
.scroll { overflow-x: auto; max-width: calc(100vw - 40px); }
"""


WRAP = {"flex-wrap": "wrap", "gap": "12px"}  # a row of controls or views that wraps on a narrow screen
TERM_HELP = ("Each circle is a term (or terms with the same counts), placed by its frequency in the compared side "
             "(up) and in the rest of the corpus (right); above the dashed line a term is more frequent in the "
             "compared side. Both axes are logarithmic, so a term absent from one side is placed as if counted 0.5 "
             "times there (its hover text gives the true counts). Circle area grows with the number of terms at a "
             "point.")
FRAME_HELP = ("The frame map has a row per article and a cell per sentence, in reading order, coloured by the "
              "frames the sentence carries (stacked when several).")


def term_models(data: ExplorerData, sheet) -> dict:
    """The term view's Bokeh models: data sources (circles, terms, occurrences and their `vocabulary`), the
    scatter, the term table, the side and search controls and the KWIC panel."""
    from bokeh.models import (AutocompleteInput, BooleanFilter, CDSView, ColumnDataSource, DataTable, Div,
                              FixedTicker, HoverTool, NumberFormatter, NumeralTickFormatter, Select, Slope,
                              TableColumn, TapTool)
    from bokeh.plotting import figure

    m: dict = {}
    m["points"] = ColumnDataSource(columns(data.points.drop(columns="direction").assign(
        size=7 + 3 * np.sqrt(data.points["n"].astype(float) - 1))), name="points")
    m["points_filter"] = BooleanFilter(booleans=(data.points["side"] == 0).tolist())
    m["terms"] = ColumnDataSource(columns(data.terms[["side", "term", "ngram", "count_target", "count_reference",
                                                      "g2", "log_ratio", "p_adjusted", "point"]]), name="terms")
    m["terms_filter"] = BooleanFilter(booleans=(data.terms["side"] == 0).tolist())
    m["vocabulary"] = sorted(set(data.occurrences["term"]))
    place = {t: i for i, t in enumerate(m["vocabulary"])}  # occurrences name their term by its place: smaller
    m["occ"] = ColumnDataSource(columns(data.occurrences.assign(term=data.occurrences["term"].map(place).astype(int))),
                                name="occurrences")
    scatter = figure(title="Terms: frequency per 1,000 terms", x_axis_type="log", y_axis_type="log", height=440,
                     width=340, sizing_mode="stretch_width", min_width=300, max_width=720, name="term_plot",
                     tools="pan,wheel_zoom,box_zoom,reset,tap", active_scroll=None,
                     x_axis_label="Per 1,000 terms in the rest of the corpus",
                     y_axis_label=side_axis_label(data.targets[0]["label"] if data.targets else ""))
    for axis in (scatter.xaxis[0], scatter.yaxis[0]):  # 1, 2, 5, 10, 20, ... as the static figure: no crowding
        axis.ticker = FixedTicker(ticks=LOG_TICKS)
        axis.formatter = NumeralTickFormatter(format="0.[00]")
    scatter.x_range.range_padding = scatter.y_range.range_padding = 0.15  # room for the circles at the edges
    scatter.add_layout(Slope(gradient=1, y_intercept=0, line_color="black", line_dash="dashed", line_width=1))
    circles = scatter.scatter("x", "y", size="size", source=m["points"], view=CDSView(filter=m["points_filter"]),
                              fill_color="colour", line_color="colour", fill_alpha=0.55, line_alpha=0.9,
                              selection_line_color="black", selection_line_width=2, selection_fill_alpha=0.9,
                              nonselection_fill_alpha=0.15, nonselection_line_alpha=0.25)
    scatter.add_tools(HoverTool(renderers=[circles], tooltips=[
        ("terms", "@terms"), ("count here / in the rest", "@count_target / @count_reference"),
        ("G²", "@g2{0.00}"), ("Log Ratio", "@log_ratio{0.00}")]))
    scatter.select_one(TapTool).renderers = [circles]
    m["scatter"], m["yaxis"] = scatter, scatter.yaxis[0]
    decimals = NumberFormatter(format="0.00")
    m["term_table"] = DataTable(
        source=m["terms"], view=CDSView(filter=m["terms_filter"]), name="term_table", height=300, width=340,
        sizing_mode="stretch_width", min_width=300, index_position=None, reorderable=False, columns=[
            TableColumn(field="term", title="term", width=140),
            TableColumn(field="count_target", title="here", width=50),
            TableColumn(field="count_reference", title="rest", width=50),
            TableColumn(field="g2", title="G²", formatter=decimals, width=60),
            TableColumn(field="log_ratio", title="Log Ratio", formatter=decimals, width=70)])
    m["side"] = Select(title="Compare with the rest of the corpus", name="side", width=300, value="0",
                       options=[(str(k), s["label"]) for k, s in enumerate(data.targets)])
    m["search"] = AutocompleteInput(
        title="Search a term (word or two-word phrase)", name="search", width=300, min_characters=2,
        completions=sorted(set(data.terms["term"])), case_sensitive=False, restrict=False, max_completions=12,
        placeholder="e.g. " + (data.terms["term"].iloc[0] if len(data.terms) else "talks"))
    m["kwic"] = Div(name="kwic", sizing_mode="stretch_width", stylesheets=[sheet],
                    text='<p class="note">Search a term, click a circle or choose a row of the table to see its '
                         'keyword-in-context lines.</p>')
    return m


def frame_models(data: ExplorerData, sheet) -> dict:
    """The frame map's and sentence list's Bokeh models: data sources (cells, sentences, the listed sentences),
    the frame map, the filters, the Previous / Next buttons, the sentence detail and count, the sentence table."""
    from bokeh.models import Button, ColumnDataSource, DataTable, Div, FixedTicker, HoverTool, NumberFormatter, \
        Select, TableColumn, TapTool
    from bokeh.plotting import figure

    from analysis.plots.framing import distinct_labels

    m: dict = {}
    labels = list(data.articles["label"].astype(str))
    m["cells"] = ColumnDataSource(frame_cells(data), name="cells")
    m["sentences"] = ColumnDataSource(sentence_columns(data), name="sentences")
    frame_map = figure(title="Frame map", height=70 + 26 * max(len(labels), 1), sizing_mode="stretch_width",
                       min_width=300, tools="xpan,xwheel_zoom,reset,tap", active_scroll=None, name="frame_map",
                       y_range=(len(labels) - 0.5, -0.5), x_axis_label="Sentence, in reading order")
    quads = frame_map.quad(left="left", right="right", top="top", bottom="bottom", source=m["cells"],
                           fill_color="colour", fill_alpha="alpha", line_color=None, selection_fill_alpha="alpha",
                           nonselection_fill_alpha="alpha", selection_line_color="black", selection_line_width=2)
    frame_map.yaxis.ticker = FixedTicker(ticks=list(range(len(labels))))
    ids = list(data.articles["article_id"])
    names = distinct_labels(dict(zip(ids, labels)), ids, width=24)  # as the static frame map labels its rows
    frame_map.yaxis.major_label_overrides = {i: names[a] for i, a in enumerate(ids)}
    frame_map.ygrid.visible = False
    frame_map.add_tools(HoverTool(renderers=[quads], tooltips=[("sentence", "@x"), ("frame", "@frame_label")]))
    frame_map.select_one(TapTool).renderers = [quads]
    m["frame_map"] = frame_map
    articles = [("*", "All articles")] + [(f"a{i}", label) for i, label in enumerate(labels)]
    articles += [(f"t{k}", s["label"]) for k, s in enumerate(data.targets) if len(s["ids"]) > 1]
    m["article_filter"] = Select(title="Article", name="article_filter", options=articles, value="*", width=260)
    m["frame_filter"] = Select(title="Frame", name="frame_filter", width=260, value="*",
                               options=[("*", "All frames")] + list(data.frames.items()) + [("", UNCODED_LABEL)])
    m["speaker_filter"] = Select(title="Speaker", name="speaker_filter", options=speaker_options(data.sentences),
                                 value="*", width=260)
    m["previous"] = Button(label="◀ Previous sentence", name="previous", width=170)
    m["following"] = Button(label="Next sentence ▶", name="next", width=170)
    m["detail"] = Div(name="detail", sizing_mode="stretch_width", stylesheets=[sheet],
                      text='<p class="note">Click a cell of the frame map or a row of the sentence list (or use '
                           'the Previous / Next buttons) to read a sentence with its frames, evidence, speaker and '
                           'tone.</p>')
    m["count"] = Div(name="count", stylesheets=[sheet], sizing_mode="stretch_width")
    m["listing"] = ColumnDataSource({k: [] for k in ("s", "article", "n", "frames", "speaker", "compound", "text")},
                                    name="listing")
    m["sentence_table"] = DataTable(
        source=m["listing"], name="sentence_list", height=320, sizing_mode="stretch_width", min_width=300,
        index_position=None, reorderable=False, fit_columns=False, columns=[
            TableColumn(field="article", title="article", width=190), TableColumn(field="n", title="#", width=36),
            TableColumn(field="frames", title="frames", width=240),
            TableColumn(field="speaker", title="speaker", width=150),
            TableColumn(field="compound", title="VADER", formatter=NumberFormatter(format="0.00"), width=56),
            TableColumn(field="text", title="sentence", width=1100)])
    return m


def linked(data: ExplorerData, m: dict):
    """The one CustomJS callback (`data/explorer.js`) with the models `m` and the page's constants as arguments,
    attached to every control, selection and button of `m`."""
    from bokeh.models import CustomJS

    names = ("points", "points_filter", "terms", "terms_filter", "occ", "vocabulary", "side", "search", "kwic",
             "yaxis", "cells", "sentences", "listing", "article_filter", "frame_filter", "speaker_filter", "detail",
             "count", "previous", "following")
    sides = [dict(label=s["label"], articles=[labels_index(data, a) for a in s["ids"]]) for s in data.targets]
    callback = CustomJS(code=SCRIPT.read_text(encoding="utf-8"), args=dict(
        {name: m[name] for name in names}, labels=list(data.articles["label"].astype(str)), sides=sides,
        frames=data.frames, colours=data.colours, narration=NARRATION, uncoded=UNCODED_LABEL))
    for name, attribute in (("side", "value"), ("search", "value_input"), ("search", "value"),
                            ("article_filter", "value"), ("frame_filter", "value"), ("speaker_filter", "value")):
        m[name].js_on_change(attribute, callback)
    for name in ("points", "terms", "cells", "listing"):
        m[name].selected.js_on_change("indices", callback)
    for name in ("previous", "following"):
        m[name].js_on_event("button_click", callback)
    return callback


def explorer_document(data: ExplorerData):
    """The page's Bokeh document: header, term view (side and search controls, scatter, term table, KWIC lines),
    frames and sentences (legend, frame map, filters, buttons, sentence detail, count and list), linked by one
    callback, which also sets the page up when it has loaded."""
    from bokeh.document import Document
    from bokeh.layouts import column, row
    from bokeh.models import Div, InlineStyleSheet

    sheet = InlineStyleSheet(css=CSS)
    m = term_models(data, sheet) | frame_models(data, sheet)
    callback = linked(data, m)

    def text(html_: str, **options):
        return Div(text=html_, stylesheets=[sheet], sizing_mode="stretch_width", **options)

    if data.points.empty:
        terms = text("<h2>Term view</h2><p>One article: there is no rest of the corpus to compare its terms with "
                     "(keyness.csv is written for two or more articles).</p>")
    else:
        terms = column(text(f"<h2>Term view</h2><p>{TERM_HELP}</p>"),
                       row(m["side"], m["search"], styles=WRAP, sizing_mode="stretch_width"),
                       row(m["scatter"], m["term_table"], styles=WRAP, sizing_mode="stretch_width"), m["kwic"],
                       sizing_mode="stretch_width")
    frames = column(text(f"<h2>Frames and sentences</h2><p>{FRAME_HELP}</p><p>{legend_html(data)}</p>",
                         name="legend"), m["frame_map"],
                    row(m["article_filter"], m["frame_filter"], m["speaker_filter"], styles=WRAP,
                        sizing_mode="stretch_width"),
                    row(m["previous"], m["following"], styles=WRAP), m["detail"], m["count"], m["sentence_table"],
                    sizing_mode="stretch_width")
    page = column(text(header_html(data), name="header"), terms, frames, sizing_mode="stretch_width", name="page",
                  styles={"padding": "8px 12px", "max-width": "1400px", "box-sizing": "border-box"})
    document = Document()
    document.add_root(page)
    document.js_on_event("document_ready", callback)
    return document


def columns(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """`table`'s columns as arrays, the form a Bokeh data source takes (no index column); integers as int32 and
    floats as float32, which halves their size in the page (counts stay exact; G² and Log Ratio are shown to two
    decimals)."""
    kinds = {"i": np.int32, "u": np.int32, "f": np.float32}
    return {name: table[name].to_numpy().astype(kinds[table[name].dtype.kind])
            if table[name].dtype.kind in kinds else table[name].to_numpy() for name in table.columns}


def side_axis_label(label: str) -> str:
    """The term view's y axis label for the side labelled `label` (`data/explorer.js` writes the same)."""
    return f"Per 1,000 terms in {shorten(label, 40)}"


def labels_index(data: ExplorerData, article_id: str) -> int:
    """Row of `article_id` in the articles table."""
    return int(np.flatnonzero(data.articles["article_id"].to_numpy() == article_id)[0])


def header_html(data: ExplorerData) -> str:
    """The page's title and a line on what it holds and how to use it."""
    n_articles, n_sentences = len(data.articles), len(data.sentences)
    return (f"<h1>{html.escape(TITLE)}</h1><p>{n_articles:,} article{'s' * (n_articles != 1)}, "
            f"{n_sentences:,} sentences, from this run's tables (tables/). Everything is in this file: it works "
            "offline. Controls work with the keyboard (Tab, arrows, Enter); tables scroll sideways on a narrow "
            "screen.</p>")


def stable_ids(page: str) -> str:
    """`page` with Bokeh's model ids (p1234) and random element ids (UUIDs) renumbered in order of first
    appearance, so that the same tables give the same bytes."""
    found: dict[str, str] = {}

    def number(match: re.Match) -> str:
        key = match.group(0)
        if key not in found:
            n = len(found) + 1
            found[key] = f'"p{n}"' if key.startswith('"') else f"00000000-0000-4000-8000-{n:012d}"
        return found[key]

    pattern = r'"p\d+"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
    return re.sub(pattern, number, page)


def explorer_html(data: ExplorerData) -> str:
    """The whole page as HTML text: Bokeh's JavaScript and the data inline, and a viewport line so that a phone
    lays it out at its own width."""
    from bokeh.embed import file_html
    from bokeh.resources import INLINE

    page = file_html(explorer_document(data), INLINE, title=TITLE)
    page = page.replace('<meta charset="utf-8">', f'<meta charset="utf-8">\n    {VIEWPORT}', 1)
    return stable_ids(page)


def write_explorer(out: str | Path = ".", *, target: str | Path | None = None, group: str | None = None) -> Path:
    """Write the explorer page for the tables in `<out>/tables/` to `target` (default `<out>/explorer.html`);
    return its path. `group`: a column of articles.csv whose groups the term view also compares."""
    path = Path(target) if target else config.resolve(out) / EXPLORER
    path.write_text(explorer_html(explorer_data(out, group=group)), encoding="utf-8")
    return path
