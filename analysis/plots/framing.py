"""Charts of the framing step: frame shares, the frame map, actor mentions and co-occurrence, frames by voice."""
from __future__ import annotations

import math
from typing import Literal

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from analysis.figures import PALETTE, WIDTH, article_colours, wrap_label
from analysis.plots import HEADING, legible
from analysis.text import shorten

UNCODED = "#E0E0E0"
GROUPED_MAX = 3  # up to this many articles share one panel of grouped bars; more get one panel per frame


def frame_colours(frame_ids: list[str]) -> dict[str, str]:
    """A fixed palette colour per frame id, in dictionary order (cycling after seven), '' (no frame) light grey."""
    return {**{f: PALETTE[i % (len(PALETTE) - 1)] for i, f in enumerate(frame_ids)}, "": UNCODED}


def distinct_labels(labels: dict[str, str], ids: list[str], width: int = 22) -> dict[str, str]:
    """`text.shorten` of each article in `ids`, cut at `width` characters or, where that would make two different
    labels look the same (file names sharing a long prefix), at the fewest characters that tell them apart."""
    distinct = len({labels[a] for a in ids})
    for cut in range(width, max(len(labels[a]) for a in ids) + 1):
        short = {a: shorten(labels[a], cut) for a in ids}
        if len(set(short.values())) == distinct:
            return short
    return {a: labels[a] for a in ids}


@legible
def plot_frame_shares(shares: pd.DataFrame, labels: dict[str, str], frame_labels: dict[str, str], *,
                      measure: Literal["sentence", "token"] = "sentence") -> plt.Figure:
    """Share of each article's sentences (or word tokens) carrying each frame, with interval whiskers (Wilson
    score for sentences, bootstrap for word tokens; `shares` from `frames.frame_shares`). Up to GROUPED_MAX
    articles: grouped horizontal bars, one colour per article; more: one small panel per frame with the articles
    as rows."""
    ids = list(dict.fromkeys(shares["article_id"]))
    label = (f"Share of {'sentences' if measure == 'sentence' else 'word tokens'} with the frame\n"
             f"(whiskers: 95% {'Wilson score' if measure == 'sentence' else 'bootstrap'} interval)")
    if len(ids) <= GROUPED_MAX:
        fig = _grouped_shares(shares, ids, labels, frame_labels, measure)
        fig.axes[0].set_xlabel(label)
    else:
        fig = _panel_shares(shares, ids, labels, frame_labels, measure)
        fig.supxlabel(label, fontsize=HEADING)
    fig.tight_layout()
    return fig


def _whiskers(table: pd.DataFrame, measure: str) -> np.ndarray:
    """(2, n) distances from each share down to its interval's low end and up to its high end (0 where NaN)."""
    share = table[f"{measure}_share"].to_numpy()
    low, high = table[f"{measure}_low"].to_numpy(), table[f"{measure}_high"].to_numpy()
    return np.nan_to_num(np.vstack([share - low, high - share]))


def _grouped_shares(shares, ids, labels, frame_labels, measure) -> plt.Figure:
    """One panel: frames as rows, a bar per article in each row."""
    frames = list(frame_labels)
    height = 0.8 / len(ids)
    fig, ax = plt.subplots(figsize=(WIDTH, 1.6 + 0.32 * len(frames) * max(len(ids), 2)))
    colours = article_colours(list(labels))
    for k, article_id in enumerate(ids):
        table = shares[shares["article_id"] == article_id].set_index("frame").loc[frames].reset_index()
        y = np.arange(len(frames)) - 0.4 + height * (k + 0.5)
        ax.barh(y, table[f"{measure}_share"], height=height * 0.9, color=colours[article_id],
                label=wrap_label(labels[article_id], 40),
                xerr=_whiskers(table, measure), error_kw={"elinewidth": 1, "capsize": 2, "ecolor": "#333333"})
    ax.set_yticks(range(len(frames)), [wrap_label(frame_labels[f], 14) for f in frames])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    short = sum(len(labels[a]) for a in ids) <= 40
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(ids) if short else 1, frameon=False)
    return fig


def _panel_shares(shares, ids, labels, frame_labels, measure) -> plt.Figure:
    """One panel per frame (two columns), articles as rows in corpus order."""
    frames = list(frame_labels)
    rows = math.ceil(len(frames) / 2)
    fig, axes = plt.subplots(rows, 2, figsize=(WIDTH, 1.2 + rows * (0.75 + 0.21 * len(ids))), sharex=True,
                             sharey=True, squeeze=False)
    colours = frame_colours(frames)
    for ax, frame in zip(axes.flat, frames):
        table = shares[shares["frame"] == frame].set_index("article_id").loc[ids].reset_index()
        ax.barh(range(len(ids)), table[f"{measure}_share"], color=colours[frame], xerr=_whiskers(table, measure),
                error_kw={"elinewidth": 0.8, "capsize": 1.5, "ecolor": "#333333"})
        ax.set_title(wrap_label(frame_labels[frame], 20), fontsize=HEADING)  # two panels a row: ~20 characters
    for ax in axes.flat[len(frames):]:
        ax.set_visible(False)
    for ax in axes.flat[max(0, len(frames) - 2):len(frames)]:
        ax.tick_params(axis="x", labelbottom=True)
    names = distinct_labels(labels, ids)
    axes[0, 0].set_yticks(range(len(ids)), [names[a] for a in ids])
    axes[0, 0].invert_yaxis()
    axes[0, 0].set(xlim=(0, 1), xticks=[0, 0.5, 1], xticklabels=["0", "0.5", "1"])
    return fig


@legible
def plot_frame_map(map_table: pd.DataFrame, labels: dict[str, str], frame_labels: dict[str, str]) -> plt.Figure:
    """Each article as a row of sentences in reading order, each sentence a cell coloured by its frames (a cell
    split into stacked slices when a sentence carries several; light grey when it carries none); `map_table`
    from `frames.frame_map_table`."""
    ids = list(dict.fromkeys(map_table["article_id"]))
    colours = frame_colours(list(frame_labels))
    row_height = 0.5 if len(ids) <= 5 else 0.32
    legend_rows = math.ceil((len(frame_labels) + 1) / 3)
    legend_height = 0.1 + 0.27 * legend_rows
    fig, ax = plt.subplots(figsize=(WIDTH, 1.1 + legend_height + row_height * len(ids)))
    for row, article_id in enumerate(ids):
        for cell in map_table[map_table["article_id"] == article_id].itertuples():
            slice_height = 0.8 / cell.slices
            ax.add_patch(Rectangle((cell.position + 0.54, row - 0.4 + cell.slice * slice_height), 0.92, slice_height,
                                   facecolor=colours[cell.frame], edgecolor="none"))
    ax.set_xlim(0.3, map_table["position"].max() + 1.7)
    ax.set_ylim(len(ids) - 0.5, -0.5)
    names = distinct_labels(labels, ids)
    ax.set_yticks(range(len(ids)), [names[a] for a in ids])
    ax.set_xlabel("Sentence, in reading order")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["left"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    handles = [Patch(color=colours[f], label=frame_labels[f]) for f in frame_labels]
    handles.append(Patch(color=UNCODED, label="no frame"))
    fig.legend(handles=handles, loc="upper center", ncol=3, frameon=False, columnspacing=1.2, handlelength=1.5)
    fig.tight_layout(rect=(0, 0, 1, 1 - legend_height / fig.get_figheight()))
    return fig


def _heat_map(ax, values: pd.DataFrame, cmap: str, *, mask: np.ndarray | None = None, upright: bool = False) -> None:
    """Draw `values` as a heat map on `ax` with each cell's count written in it (cells in `mask` left blank);
    column names slanted on one line each (wrapped slanted names would run into their neighbours), or `upright`
    (vertical, taking no room beside the map, for a map next to another panel)."""
    data = values.to_numpy(dtype=float)
    shown = np.ma.masked_array(data, mask=mask if mask is not None else np.zeros_like(data, dtype=bool))
    ax.imshow(shown, cmap=cmap, aspect="auto", vmin=0, vmax=max(data.max(), 1))
    for (i, j), value in np.ndenumerate(data):
        if mask is None or not mask[i, j]:
            dark = value > 0.6 * max(data.max(), 1)
            ax.text(j, i, f"{value:g}", ha="center", va="center", color="white" if dark else "black")
    ax.set_xticks(range(values.shape[1]), list(values.columns), rotation=90 if upright else 45,
                  ha="center" if upright else "right", rotation_mode="default" if upright else "anchor")
    ax.set_yticks(range(values.shape[0]), values.index)
    ax.spines[:].set_visible(False)
    ax.tick_params(length=0)


@legible
def plot_actor_mentions(counts: pd.DataFrame, labels: dict[str, str], *, top: int = 10) -> plt.Figure:
    """Heat map of actor mentions per article (`counts` from `actors.actor_counts`): articles as rows, the `top`
    most mentioned actors as columns, the count in each cell."""
    order = counts.groupby("actor", sort=False)["mentions"].sum().sort_values(ascending=False, kind="stable")
    ids = list(dict.fromkeys(counts["article_id"]))
    grid = counts.pivot(index="article_id", columns="actor", values="mentions").loc[ids, order.index[:top]]
    names = distinct_labels(labels, ids)
    grid.index = [names[a] for a in ids]
    fig, ax = plt.subplots(figsize=(WIDTH, 2.3 + 0.34 * len(ids)))
    _heat_map(ax, grid, "Blues")
    ax.set_title("Mentions of each actor", fontsize=HEADING)
    fig.tight_layout()
    return fig


@legible
def plot_actor_cooccurrence(cooccurrence: pd.DataFrame, *, top: int = 10) -> plt.Figure:
    """Heat map of sentences mentioning two actors (`cooccurrence` from `actors.actor_cooccurrence`), for the
    `top` actors mentioned in most sentences; lower triangle, the diagonal giving each actor's own sentences."""
    grid = cooccurrence.pivot(index="actor_a", columns="actor_b", values="sentences")
    order = pd.Series(np.diag(grid), index=grid.index).sort_values(ascending=False, kind="stable").index[:top]
    grid = grid.loc[order, order]
    mask = np.triu(np.ones(grid.shape, dtype=bool), k=1)
    fig, ax = plt.subplots(figsize=(WIDTH, 2.0 + 0.42 * len(order)))
    _heat_map(ax, grid, "Purples", mask=mask)
    ax.set_title("Sentences mentioning both actors\n(diagonal: all sentences naming the actor)", fontsize=HEADING)
    fig.tight_layout()
    return fig


@legible
def plot_voice_frames(voices: pd.DataFrame, labels: dict[str, str], frame_labels: dict[str, str], *,
                      top: int = 12) -> plt.Figure:
    """Frames by voice (`voices` from `voices.voice_frames`): left, the words quoted from each of the `top`
    voices (speaker and article) with most words; right, the share of that voice's quotations whose words carry
    each frame, as a whole percentage in each cell."""
    per_voice = voices.drop_duplicates(["article_id", "speaker"]).nlargest(top, "words", keep="first")
    keys = list(zip(per_voice["article_id"], per_voice["speaker"]))
    counts = dict(zip(keys, per_voice["quotes"]))
    articles = distinct_labels(labels, list(dict.fromkeys(a for a, _ in keys)))
    names = [f"{shorten(s, 24)}\n{articles[a]}, {counts[a, s]} quot." for a, s in keys]
    shares = voices.assign(share=voices["frame_quotes"] / voices["quotes"]).set_index(["article_id", "speaker"])
    grid = shares.pivot_table(index=["article_id", "speaker"], columns="frame", values="share").loc[keys]
    grid = grid[list(frame_labels)].rename(columns=frame_labels)
    grid.index = names
    fig, (left, right) = plt.subplots(1, 2, figsize=(WIDTH, 2.3 + 0.56 * len(keys)), sharey=True,
                                      gridspec_kw={"width_ratios": [0.8, 3.2]})
    colours = article_colours(list(labels))
    left.barh(range(len(keys)), per_voice["words"], color=[colours[a] for a, _ in keys])
    left.set_xlabel("Words\nquoted", fontsize=HEADING)  # below its own ticks: the map's title has the space above
    left.xaxis.set_major_locator(MaxNLocator(nbins=2, integer=True))
    _heat_map(right, (100 * grid).round(0), "Greens", upright=True)
    right.set_title("% of the voice's quotations\nthat carry each frame", fontsize=HEADING, loc="right")
    left.set_yticks(range(len(keys)), names)
    left.set_ylim(len(keys) - 0.5, -0.5)
    right.tick_params(labelleft=False)
    fig.canvas.draw()  # measure the slanted frame names, then make room for them below the rows
    slanted = max(t.get_window_extent().height for t in right.get_xticklabels()) / fig.dpi
    fig.set_size_inches(WIDTH, 1.8 + slanted + 0.56 * len(keys))
    fig.tight_layout()
    return fig
