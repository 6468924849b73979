"""Figure export: one style, one save function, one list of figures with captions.

`save_figure` writes `<out>/figures/<name>.png` (300 dpi) and `.svg`, the data behind the chart to
`<out>/figures/data/<name>.csv`, and its caption and notebook to `<out>/figures/data/<name>.json`;
`write_figure_index` turns those into `<out>/figures/README.md`. Output bytes are deterministic: fixed fonts
(DejaVu Sans, shipped with matplotlib), fixed `svg.hashsalt`, no dates in metadata.
"""
from __future__ import annotations

import io
import json
import os
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (backend must be chosen first)
import pandas as pd  # noqa: E402

from analysis import config  # noqa: E402
from analysis.tables import stable_floats  # noqa: E402

# Okabe & Ito (2008) colour-blind-safe palette, black last.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
WIDTH = 6.4  # inches: legible when scaled to half an A4 page width (105 mm) at 8 pt type or more
HEIGHT = 4.0
DPI = 300
SCREEN_DPI = 100  # the copy shown in notebooks
STYLE = {
    "figure.figsize": (WIDTH, HEIGHT),
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "font.family": "DejaVu Sans",
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "svg.hashsalt": "framing-study",
    "svg.fonttype": "path",
    "path.simplify": True,
}
CITATION = ("Framing the Russia–Ukraine war: a comparison of news articles. Figure {number}, "
            "“{title}”. figures/{name}.png")


def use_style() -> None:
    """Apply the study's matplotlib style (fonts, sizes, palette, deterministic SVG) to every later figure, and
    let pandas show whole sentences in tables."""
    plt.rcParams.update(STYLE)
    pd.set_option("display.max_colwidth", None)


ARTICLE_COLOURS = len(PALETTE) - 1  # black is kept for means and rolling lines


def article_colours(article_ids: list[str]) -> dict[str, str]:
    """A fixed palette colour per article id, in the order given (cycling after `ARTICLE_COLOURS`, seven)."""
    return {a: PALETTE[i % ARTICLE_COLOURS] for i, a in enumerate(article_ids)}


def wrap_label(label: str, width: int = 18) -> str:
    """`label` wrapped onto lines of at most `width` characters, for tick labels that must not overlap."""
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


@dataclass(frozen=True)
class SavedFigure:
    """A saved figure: its name, the path of its PNG, and a screen-resolution copy that notebooks display."""

    name: str
    path: Path
    screen_png: bytes = field(repr=False)

    def _repr_png_(self) -> bytes:
        return self.screen_png

    def __repr__(self) -> str:
        return f"Figure '{self.name}' (figures/{self.name}.png, .svg, data/{self.name}.csv)"


def save_figure(fig: plt.Figure, name: str, *, data: pd.DataFrame, caption: str, notebook: str,
                out: str | Path = ".") -> SavedFigure:
    """Save `fig` as `<out>/figures/<name>.png` (300 dpi) and `.svg`, `data` as `figures/data/<name>.csv`, and
    the caption and notebook as `figures/data/<name>.json`; close the figure. Returns a `SavedFigure`, which a
    notebook displays as the chart (at 100 dpi). `caption` starts with a short title sentence; `notebook` is the
    notebook's file stem, e.g. '01_corpus'."""
    folder, data_folder = config.figures_dir(out), config.figure_data_dir(out)
    data_folder.mkdir(parents=True, exist_ok=True)
    png = folder / f"{name}.png"
    fig.savefig(png, dpi=DPI, metadata={"Software": None})
    fig.savefig(folder / f"{name}.svg", metadata={"Date": None, "Creator": None})
    screen = io.BytesIO()
    fig.savefig(screen, format="png", dpi=SCREEN_DPI, metadata={"Software": None})
    plt.close(fig)
    stable_floats(data).to_csv(data_folder / f"{name}.csv", index=False, lineterminator="\n")
    entry = {"name": name, "notebook": notebook, "caption": caption,
             "order": _next_order(data_folder, name, notebook)}
    partial = data_folder / f".{name}.json.partial"  # written whole, then renamed: notebooks run side by side
    partial.write_text(json.dumps(entry, indent=1, ensure_ascii=False) + "\n")
    os.replace(partial, data_folder / f"{name}.json")
    return SavedFigure(name, png, screen.getvalue())


def _next_order(data_folder: Path, name: str, notebook: str) -> int:
    """Position of figure `name` among the figures of `notebook`: kept if already saved in this folder, else the
    next free one."""
    entries = [json.loads(p.read_text()) for p in data_folder.glob("*.json")]
    known = {e["name"]: e["order"] for e in entries if e["notebook"] == notebook}
    return known.get(name, max(known.values(), default=0) + 1)


# Every figure the study's notebooks can draw, in each chapter's order, optional ones included (the groups' figures
# last): a figure's number is its place here, the same in every run whichever figures a run draws.
FIGURES = {
    "01_corpus": ("sentence_lengths", "top_terms"),
    "02_vocabulary": ("tfidf_top_terms", "keyness_words", "keyness_phrases", "keyness_scatter", "dispersion",
                      "similarity_heatmap", "group_keyness_words"),
    "03_framing": ("frame_shares", "frame_map", "voice_frames", "actor_mentions", "actor_cooccurrence",
                   "group_frame_shares"),
    "04_sentiment": ("sentiment_scores", "sentiment_shares", "sentiment_arcs", "sentiment_frames",
                     "sentiment_speakers", "sentiment_actors", "sentiment_lexicons", "group_sentiment_scores"),
}


def figure_entries(out: str | Path = ".") -> pd.DataFrame:
    """Table of saved figures (name, notebook, caption, number) in number order. A figure's number is
    '<chapter>.<place in FIGURES>', whichever other figures the run drew (a run without key phrases has no 2.3);
    a figure not listed there (a notebook of one's own) is numbered after the listed ones, in save order."""
    data_folder = config.figure_data_dir(out)
    entries = pd.DataFrame([json.loads(p.read_text()) for p in sorted(data_folder.glob("*.json"))],
                           columns=["name", "notebook", "caption", "order"])
    entries = entries.sort_values(["notebook", "order"], kind="stable").reset_index(drop=True)
    listed = [FIGURES.get(notebook, ()) for notebook in entries["notebook"]]
    unlisted = entries.assign(unlisted=[name not in names for name, names in zip(entries["name"], listed)])
    extra = unlisted.groupby("notebook")["unlisted"].cumsum()
    entries["place"] = [names.index(name) + 1 if name in names else len(names) + k
                        for name, names, k in zip(entries["name"], listed, extra)]
    entries = entries.sort_values(["notebook", "place"], kind="stable").reset_index(drop=True)
    chapter = entries["notebook"].str.extract(r"^(\d+)")[0].astype(int).astype(str)
    entries["number"] = chapter + "." + entries["place"].astype(str)
    return entries[["number", "name", "notebook", "caption"]]


def title_of(caption: str) -> str:
    """First sentence of a caption (its title), without the final full stop."""
    return caption.split(". ")[0].rstrip(".")


def figure_index_markdown(entries: pd.DataFrame) -> str:
    """Markdown for `figures/README.md`: one section per figure with files, caption, source and citation."""
    lines = ["# Figures", "",
             "Every figure of the study, by number. Each has a PNG (300 dpi, for documents), an SVG "
             "(vector, for print), and the CSV of the numbers it draws in `data/`. This file is written by the "
             "study run (`make study`); figure numbers are `<notebook>.<place>`, the same in every run (a figure "
             "a run does not draw leaves its number unused).", ""]
    lines += interactive_note(entries)
    for e in entries.itertuples():
        lines += [f"## Figure {e.number}: {title_of(e.caption)}", "",
                  f"![Figure {e.number}]({e.name}.png)", "",
                  e.caption, "",
                  f"- Files: [`{e.name}.png`]({e.name}.png), [`{e.name}.svg`]({e.name}.svg)",
                  f"- Data: [`data/{e.name}.csv`](data/{e.name}.csv)",
                  f"- Made by: [`notebooks/{e.notebook}.ipynb`](../notebooks/{e.notebook}.ipynb)",
                  f"- Cite as: {CITATION.format(number=e.number, title=title_of(e.caption), name=e.name)}", ""]
    return "\n".join(lines)


INTERACTIVE = {"keyness_scatter": "any article, or group, against the rest, with a search box, counts, G² and Log "
                                   "Ratio on hover, and a click for a term's keyword-in-context lines",
               "frame_map": "a click on a sentence shows it with its frames, the evidence for each, its speaker "
                            "and its VADER score; filters by article, frame and speaker choose a sentence list"}


def interactive_note(entries: pd.DataFrame) -> list[str]:
    """Lines saying which of `entries` the explorer page (`../explorer.html`, `analysis.explorer`) shows
    interactively, and how."""
    found = entries[entries["name"].isin(list(INTERACTIVE))]
    if found.empty:
        return []
    items = [f"- Figure {e.number} ({title_of(e.caption)}): {INTERACTIVE[e.name]}." for e in found.itertuples()]
    return ["The explorer page [`explorer.html`](../explorer.html), written by the same run (one file, opened from "
            "disk, nothing loaded from the network), makes these figures interactive:", "", *items, ""]


def write_figure_index(out: str | Path = ".") -> Path:
    """Write `<out>/figures/README.md` listing every saved figure; return its path."""
    path = config.figures_dir(out) / "README.md"
    path.write_text(figure_index_markdown(figure_entries(out)))
    return path
