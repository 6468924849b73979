"""Charts of the vocabulary step: TF-IDF top terms, keyness bars and scatter, lexical dispersion, similarity.

Every function takes a table from `analysis.vocabulary`, `analysis.concordance` or `analysis.similarity` and
`labels` (article_id → label shown in charts), and returns a Figure of the study's width that stays legible for
20 articles (small multiples in two columns, top-k terms, numbered articles in the heat map).
"""
from __future__ import annotations

import math
import re
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import to_hex, to_rgb
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator
from matplotlib.transforms import Bbox

from analysis.figures import WIDTH, article_colours
from analysis.plots import HEADING, TEXT, legible
from analysis.plots.layout import panel_columns, panel_grid
from analysis.text import shorten
from analysis.vocabulary import per_thousand, signed_g2, top_keywords

GREY = "#9a9a9a"
SHORT = 16            # characters: longer article labels are not written along the heat map's columns
CRITICAL_G2 = 3.84  # χ² with 1 df at p = 0.05


def wrap_name(label: str, width: int = 30) -> str:
    """`label` wrapped onto lines of at most `width` characters, breaking after spaces, hyphens, underscores
    (file names used as labels) and the ellipsis of a shortened id ('20220202t19…dc57ec8f01'), never inside a
    word part (a part longer than `width` gets a line of its own)."""
    lines = [""]
    for part in re.findall(r"[^\s_…-]*(?:[_…-]+|\s+|$)", str(label)):
        if lines[-1] and len((lines[-1] + part).rstrip()) > width:
            lines.append(part.lstrip())
        else:
            lines[-1] += part
    return "\n".join(line.rstrip() for line in lines if line.strip()) or str(label)


def title_width(count: int) -> int:
    """Characters per line of a panel title when `count` panels share the figure's width."""
    return {1: 56, 2: 26}.get(min(count, panel_columns(count)), 17)


def bottom_panels(axes, columns: int) -> list:
    """The lowest visible panel of each column: those that carry the shared x axis's tick labels."""
    axes = list(axes)
    return axes[-min(columns, len(axes)):]


# --- TF-IDF ------------------------------------------------------------------------------------------------------

@legible
def plot_top_bars(top: pd.DataFrame, labels: dict[str, str], column: str, axis_label: str, *,
                  articles: list[str] | None = None, reference: float | None = None,
                  columns: int | None = None) -> plt.Figure:
    """Small multiples: horizontal bars of each article's ranked terms (rows with article_id, rank, term and
    `column`), one panel per article of `articles` (default: those in `top`; colours fixed by this order),
    `columns` panels per row (default `panel_columns`: two up to six articles, else three), same value axis in
    every panel, labelled under each column; a dotted line at `reference` if given. Terms are tick labels with up
    to two columns, and written on their (lightened) bars with three, where a panel is too narrow for both."""
    ids = articles or list(dict.fromkeys(top["article_id"]))
    k = int(top["rank"].max()) if len(top) else 1
    columns = min(columns or panel_columns(len(ids)), len(ids))
    titles = {a: wrap_name(labels[a], title_width(len(ids))) for a in ids}
    lines = max(t.count("\n") + 1 for t in titles.values())
    fig, axes = panel_grid(len(ids), 0.27 * k + 0.25 + 0.24 * lines, columns=columns, extra=0.6, sharex=True)
    colours = article_colours(list(labels))
    for ax, article_id in zip(axes, ids):
        rows = top[top["article_id"] == article_id].sort_values("rank")
        if columns < 3:
            ax.barh(range(len(rows)), rows[column], color=colours[article_id])
            ax.set_yticks(range(len(rows)), rows["term"])
        else:
            ax.barh(range(len(rows)), rows[column], color=colours[article_id], alpha=0.4)
            for y, term in enumerate(rows["term"]):
                ax.text(0.02, y, term, transform=ax.get_yaxis_transform(), va="center")
            ax.set_yticks([])
        if rows.empty:
            ax.text(0.5, 0.5, "none", transform=ax.transAxes, ha="center", va="center")
        ax.set_ylim(k - 0.5, -0.5)
        if reference is not None:
            ax.axvline(reference, color="#606060", linewidth=0.7, linestyle=":")
        ax.set_title(titles[article_id], fontsize=HEADING, loc="right" if columns < 3 else "left")
        if pd.api.types.is_integer_dtype(top[column]):
            ax.xaxis.set_major_locator(MaxNLocator(nbins=3 if columns == 3 else 5, integer=True))
    for ax in bottom_panels(axes, columns):
        ax.set_xlabel(axis_label)
        ax.tick_params(axis="x", labelbottom=True)
    return fig


def plot_tfidf_terms(top: pd.DataFrame, labels: dict[str, str], *, column: str = "tfidf") -> plt.Figure:
    """Small multiples of each article's top terms by `column` (rows of `vocabulary.top_terms` on the TF-IDF
    table), one panel per article."""
    return plot_top_bars(top, labels, column, "TF-IDF weight")


# --- keyness bars -------------------------------------------------------------------------------------------------

MEASURE_NAMES = {"g2": "G²", "log_ratio": "Log Ratio", "z_fightin": "Fightin' Words z"}


def keyness_sides(keyness: pd.DataFrame, article_id: str, *, top: int, by: str) -> pd.DataFrame:
    """The `top` target and `top` reference keywords of one article, with `value` = `by` signed by direction."""
    rows = keyness[keyness["article_id"] == article_id]
    sides = [top_keywords(rows, top=top, by=by, direction=d) for d in ("target", "reference")]
    both = pd.concat(sides, ignore_index=True)
    return both.assign(value=signed_g2(both) if by == "g2" else both[by])


def draw_diverging(ax: plt.Axes, sides: pd.DataFrame, colours: tuple[str, str], by: str) -> None:
    """Target keywords as bars to the right (top rows), reference keywords as bars to the left (rows below), each
    labelled at the zero line on its free side, the axis numbered by size on both sides (G² is never negative);
    dotted lines at G² = 3.84 on each side (p = 0.05, uncorrected)."""
    limit = 1.08 * max(float(sides["value"].abs().max()), CRITICAL_G2 if by == "g2" else 1.0)
    first = int((sides["direction"] == "target").sum())
    for start, (side, colour) in zip((0, first + 0.5), zip(("target", "reference"), colours)):
        rows = sides[sides["direction"] == side].reset_index(drop=True)
        y = np.arange(len(rows)) + start
        ax.barh(y, rows["value"], color=colour, height=0.75)
        for yy, term, value in zip(y, rows["term"], rows["value"]):
            ax.text(-0.02 * limit if value > 0 else 0.02 * limit, yy, term, va="center",
                    ha="right" if value > 0 else "left")
    if by == "g2":
        for x in (-CRITICAL_G2, CRITICAL_G2):
            ax.axvline(x, color="#606060", linewidth=0.7, linestyle=":")
    ax.set_xlim(-limit, limit)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):g}"))  # the side, not the sign, says which
    ax.set_ylim(len(sides) + 0.25, -0.75)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)


@legible
def plot_keyness_bars(keyness: pd.DataFrame, labels: dict[str, str], *, top: int = 10, by: str = "g2",
                      what: str = "keywords") -> plt.Figure:
    """Keywords (rows of `vocabulary.keyness_table`, e.g. those of one term length, named `what` in the title)
    ranked by `by` (g2, log_ratio or z_fightin). Two articles: one diverging panel, the first article's `top`
    keywords to the right and the second's to the left. More: one panel per article (two or three per row) with
    its `top` keywords."""
    ids = list(dict.fromkeys(keyness["article_id"]))
    name = MEASURE_NAMES.get(by, by)
    if len(ids) != 2:
        return plot_top_bars(top_keywords(keyness, top=top, by=by), labels, by, name, articles=ids,
                             reference=CRITICAL_G2 if by == "g2" else None)
    colours = article_colours(list(labels))
    sides = keyness_sides(keyness, ids[0], top=top, by=by)
    first, second = (shorten(labels[a], 22) for a in ids)
    fig, axes = panel_grid(1, 0.25 * (len(sides) + 1) + 1.0, extra=0.2)
    ax = axes[0]
    draw_diverging(ax, sides, (colours[ids[0]], colours[ids[1]]), by)
    ax.set_title(wrap_name(f"{first} and {second}: {what} by {name}", 56))
    ax.set_xlabel(f"← more in {second}    {name}    more in {first} →")
    return fig


# --- keyness scatter ----------------------------------------------------------------------------------------------

def scatter_points(keyness: pd.DataFrame, article_id: str, *, ngram: int = 1) -> pd.DataFrame:
    """One article's keyness rows for `ngram`-word terms with their relative frequency per 1,000 terms in the
    target (y) and in the reference (x), a zero count taken as 0.5 as in the Log Ratio, and terms_here = how many
    terms share that point."""
    points = per_thousand(keyness[(keyness["article_id"] == article_id) & (keyness["ngram"] == ngram)])
    return points.assign(terms_here=points.groupby(["x", "y"])["term"].transform("size"))


@legible
def plot_keyness_scatter(keyness: pd.DataFrame, article_id: str, labels: dict[str, str], *, label_top: int = 6,
                         ngram: int = 1) -> plt.Figure:
    """Log–log scatter of each term's relative frequency in one article (y) against the rest of the corpus (x):
    the dashed diagonal is equal use, and the distance above it is the Log Ratio. Circle area grows with the number
    of terms at a point. The `label_top` keywords of each side (by G²) are labelled by `place_labels`, so labels
    overlap neither each other nor the points; keywords sharing a point are listed in one label, which ends with
    '+ k more' when other terms share that point too."""
    points = scatter_points(keyness, article_id, ngram=ngram)
    ids = list(dict.fromkeys(keyness["article_id"]))
    colours = article_colours(list(labels))
    pair = len(ids) == 2
    other_id = ids[1 - ids.index(article_id)] if pair else None
    other = labels[other_id] if pair else "the other articles"
    unique = points.drop_duplicates(["x", "y"])
    fig, ax = plt.subplots(figsize=(WIDTH, 5.8))
    ax.scatter(unique["x"], unique["y"], s=10 + 8 * np.sqrt(unique["terms_here"] - 1), color=GREY, alpha=0.7,
               linewidths=0)
    low = min(points["x"].min(), points["y"].min()) / 3
    high = max(points["x"].max(), points["y"].max()) * 1.8
    ax.plot([low, high], [low, high], color="black", linewidth=0.8, linestyle="--")
    ax.set(xscale="log", yscale="log", xlim=(low, high), ylim=(low, high), aspect="equal")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        axis.set_minor_formatter(FuncFormatter(lambda v, _: ""))
    ax.set_xlabel(wrap_name(f"Per 1,000 terms in {other}", 46))
    ax.set_ylabel(wrap_name(f"Per 1,000 terms in {labels[article_id]}", 36))
    fig.tight_layout()
    chosen = pd.concat([top_keywords(points, top=label_top, direction=d) for d in ("target", "reference")])
    stacked = chosen.groupby(["x", "y"], sort=False).agg(terms=("term", list), direction=("direction", "first"),
                                                          here=("terms_here", "first")).reset_index()
    stacked["term"] = [point_label(terms, here) for terms, here in zip(stacked["terms"], stacked["here"])]
    side_colour = {"target": text_colour(colours[article_id]),
                   "reference": text_colour(colours[other_id]) if pair else "#404040"}
    place_labels(ax, stacked["x"], stacked["y"], stacked["term"], [side_colour[d] for d in stacked["direction"]],
                 obstacles=(unique["x"], unique["y"]))
    return fig


def point_label(terms: list[str], here: int, width: int = 16) -> str:
    """Label of a scatter point: its labelled `terms`, comma-separated and wrapped at `width` characters, then a
    line '+ k more' when `here` terms share the point."""
    more = here - len(terms)
    return wrap_name(", ".join(terms), width) + (f"\n+ {more} more" if more else "")


def text_colour(colour: str) -> str:
    """`colour` for text on white: light colours (luma above 0.5, e.g. the palette's orange, sky blue and yellow)
    are darkened to 60% so that labels stay readable."""
    rgb = np.array(to_rgb(colour))
    return to_hex(rgb * 0.6) if rgb @ [0.2126, 0.7152, 0.0722] > 0.5 else colour


# --- label placement ------------------------------------------------------------------------------------------------

def candidate_offsets(radii=(3, 8, 14, 22, 32, 44, 58, 75, 95, 120, 150, 185, 225, 270)) -> list[tuple[float, float]]:
    """Offsets in points tried for a label, nearest first; at each radius: right, left, up, down, the diagonals,
    then the eight directions between those."""
    directions = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1),
                  (1, 0.5), (-1, 0.5), (1, -0.5), (-1, -0.5), (0.5, 1), (-0.5, 1), (0.5, -1), (-0.5, -1)]
    return [(dx * r, dy * r) for r in radii for dx, dy in directions]


def label_box(x: float, y: float, dx: float, dy: float, width: float, height: float) -> Bbox:
    """Display box of a `width`×`height` label whose edge nearest the point (x, y) is offset by (`dx`, `dy`);
    a zero offset on an axis centres the label on the point along that axis."""
    left = x + dx if dx > 0 else x + dx - width if dx < 0 else x - width / 2
    bottom = y + dy if dy > 0 else y + dy - height if dy < 0 else y - height / 2
    return Bbox.from_bounds(left, bottom, width, height)


def place_labels(ax: plt.Axes, xs, ys, texts, colours, *, obstacles, marker_radius: float = 4.0,
                 gap: float = 3.0) -> None:
    """Label the points (xs, ys) with `texts`, each at the nearest `candidate_offsets` position of the best tier
    of `label_options` (inside the axes, clear of labels, leader lines, points, its leader crossing nothing, and
    nearer its own point than any other), placing the most constrained label first: the one whose best tier is
    worst, then the one with fewest positions in it. A leader line joins a label set away from its point.
    Deterministic greedy placement in display space, run after the layout is final (offsets stored in points)."""
    fig = ax.figure
    fig.canvas.draw()  # applies the axes' aspect, so data-to-pixel transforms are final
    renderer = fig.canvas.get_renderer()
    pixels, radius = fig.dpi / 72, marker_radius * fig.dpi / 72
    area = ax.get_window_extent(renderer)
    dots = ax.transData.transform(np.column_stack([np.asarray(obstacles[0]), np.asarray(obstacles[1])]))
    placed: list[Bbox] = []
    lines = np.empty((0, 2))
    pending = []
    for x, y, text, colour in zip(xs, ys, texts, colours):
        probe = ax.text(0, 0, text, fontsize=TEXT)
        pending.append((x, y, text, colour, probe.get_window_extent(renderer)))
        probe.remove()
    while pending:
        tiers = [label_options(ax.transData.transform((x, y)), extent, pixels=pixels, area=area, placed=placed,
                               lines=lines, dots=dots, radius=radius, gap=gap)
                 for x, y, _, _, extent in pending]
        best = [next((rank, len(t)) for rank, t in enumerate(tier) if t) for tier in tiers]
        k = min(range(len(pending)), key=lambda i: (-best[i][0], best[i][1], i))
        x, y, text, colour, _ = pending.pop(k)
        dx, dy, box = tiers[k][best[k][0]][0]
        point = ax.transData.transform((x, y))
        placed.append(box)
        drawn = math.hypot(dx, dy) > 8
        if drawn:
            lines = np.vstack([lines, leader_points(point, box)])
        centre = ((box.x0 + box.x1) / 2 - point[0]) / pixels, ((box.y0 + box.y1) / 2 - point[1]) / pixels
        leader = dict(arrowstyle="-", color=colour, linewidth=0.6, shrinkA=0, shrinkB=3)
        ax.annotate(text, (x, y), xytext=centre, textcoords="offset points", ha="center", va="center",
                    fontsize=TEXT, color=colour, arrowprops=leader if drawn else None)


def label_options(point, extent: Bbox, *, pixels: float, area: Bbox, placed: list[Bbox], lines: np.ndarray,
                  dots: np.ndarray, radius: float, gap: float) -> list[list]:
    """Positions (dx, dy, box) for a label of size `extent` at display `point`, nearest first, in four tiers:
    those that also lie nearer `point` than any other dot, those whose leader line crosses no dot or label,
    those that fit (inside `area`, `gap` clear of labels and leader lines, `radius` clear of dots), and all."""
    options = [(dx, dy, label_box(*point, dx * pixels, dy * pixels, extent.width, extent.height))
               for dx, dy in candidate_offsets()]
    good = [o for o in options if fits(o[2].padded(gap * pixels), area, placed, dots, radius)
            and not o[2].padded(gap * pixels).count_contains(lines)]
    clear = [o for o in good if leader_clear(point, o[2], dots, radius, placed)]
    own = [o for o in clear if nearest_is_own(o[2], point, dots)]
    return [own, clear, good, options]


def leader_points(point, box: Bbox, samples: int = 60) -> np.ndarray:
    """Points along the leader line from `point` to the nearest point of `box` (display coordinates)."""
    start = np.asarray(point, dtype=float)
    end = np.array([np.clip(start[0], box.x0, box.x1), np.clip(start[1], box.y0, box.y1)])
    return start + np.linspace(0, 1, samples)[:, None] * (end - start)


def leader_clear(point, box: Bbox, dots: np.ndarray, radius: float, placed: list[Bbox]) -> bool:
    """True if the leader line from `point` to `box` crosses no box in `placed` and keeps `radius` away from every
    dot that does not touch the point itself (display coordinates)."""
    line = leader_points(point, box)
    if any(other.count_contains(line) for other in placed):
        return False
    others = dots[np.hypot(*(dots - line[0]).T) > 2 * radius]
    return not len(others) or bool(np.all(
        np.hypot(*(others[:, None, :] - line[None, :, :]).transpose(2, 0, 1)).min(axis=1) > radius))


def box_distances(box: Bbox, dots: np.ndarray) -> np.ndarray:
    """Distance from each of `dots` to the nearest point of `box` (display coordinates; 0 inside)."""
    near_x, near_y = np.clip(dots[:, 0], box.x0, box.x1), np.clip(dots[:, 1], box.y0, box.y1)
    return np.hypot(dots[:, 0] - near_x, dots[:, 1] - near_y)


def nearest_is_own(box: Bbox, point, dots: np.ndarray) -> bool:
    """True if no dot other than `point` lies nearer to `box` than `point` does, so a reader pairs the label with
    its own point (display coordinates)."""
    others = dots[np.hypot(*(dots - np.asarray(point)).T) > 1]
    own = box_distances(box, np.asarray([point], dtype=float))[0]
    return not len(others) or bool(box_distances(box, others).min() >= own)


def fits(box: Bbox, area: Bbox, placed: list[Bbox], dots: np.ndarray, radius: float) -> bool:
    """True if `box` lies inside `area`, overlaps no box in `placed`, and keeps `radius` away from every dot."""
    inside = area.x0 <= box.x0 and box.x1 <= area.x1 and area.y0 <= box.y0 and box.y1 <= area.y1
    clear = bool(np.all(box_distances(box, dots) > radius))
    return inside and clear and not any(box.overlaps(other) for other in placed)


# --- dispersion ---------------------------------------------------------------------------------------------------

@legible
def plot_dispersion(positions: pd.DataFrame, queries: list[str], articles: list[str],
                    labels: dict[str, str]) -> plt.Figure:
    """Lexical dispersion plot: one panel per article (in the order of `articles`; one column up to six articles,
    then two or three), one row per query, a tick at each match's relative position (0 = first word, 1 = last)."""
    colours = article_colours(list(labels))
    columns = 1 if len(articles) <= 6 else panel_columns(len(articles))
    titles = {a: wrap_name(labels[a], 52) if columns == 1 else textwrap.fill(labels[a], 15) for a in articles}
    lines = max(t.count("\n") + 1 for t in titles.values())
    fig, axes = panel_grid(len(articles), 0.27 * len(queries) + 0.3 + 0.24 * lines, columns=columns, extra=0.6,
                           sharex=True, sharey=True)
    for ax, article_id in zip(axes, articles):
        rows = positions[positions["article_id"] == article_id]
        ax.scatter(rows["position"], rows["term"].map(queries.index), marker="|", s=140, linewidths=1.6,
                   color=colours[article_id])
        ax.set_yticks(range(len(queries)), [shorten(q, 16) for q in queries])
        ax.set(ylim=(len(queries) - 0.5, -0.5), xlim=(0, 1), xticks=[0, 0.5, 1], xticklabels=["0", "0.5", "1"])
        ax.set_title(titles[article_id], fontsize=HEADING if columns == 1 else TEXT, loc="left")
        ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
        ax.set_axisbelow(True)
    for ax in bottom_panels(axes, columns):
        ax.set_xlabel("Position in article")
        ax.tick_params(axis="x", labelbottom=True)
    return fig


# --- similarity ---------------------------------------------------------------------------------------------------

@legible
def plot_similarity_heatmap(similarities: pd.DataFrame, articles: list[str], labels: dict[str, str]) -> plt.Figure:
    """Heat map of the cosine similarity of every pair of articles (`similarity.cosine_similarities`), rows and
    columns in the order of `articles`. The colour scale runs from 0 to the largest similarity between two
    different articles; the diagonal (an article with itself, 1) is left blank. Two articles with short labels
    (at most `SHORT` characters) are named on both axes and the colour bar stands at the right; otherwise rows are
    named 'label  k', columns numbered k (so labels never collide), cells are as tall as a label needs, and the
    colour bar lies below; values are printed up to six articles."""
    matrix = similarities.pivot(index="article_a", columns="article_b", values="cosine").loc[articles, articles]
    values = matrix.to_numpy(dtype=float, copy=True)
    np.fill_diagonal(values, np.nan)
    n = len(articles)
    top = max(0.1, math.ceil(np.nanmax(values) * 10) / 10)
    few = n <= 2 and all(len(labels[a]) <= SHORT for a in articles)
    height = 1.6 + 0.5 * n if few else 2.4 + 0.28 * n
    fig, ax = plt.subplots(figsize=(WIDTH, height), layout="constrained")
    image = ax.imshow(values, cmap="cividis", vmin=0, vmax=top, aspect="equal" if few else "auto")
    if few:
        rows = columns = [labels[a] for a in articles]
    else:
        rows = [f"{shorten(labels[a], 24)}  {i}" for i, a in enumerate(articles, start=1)]
        columns = [str(i) for i in range(1, n + 1)]
    ax.set_xticks(range(n), columns, rotation=90 if n > 9 else 0)
    ax.set_yticks(range(n), rows)
    ax.tick_params(length=0)
    ax.spines[:].set_visible(False)
    if n <= 6:
        for (i, j), value in np.ndenumerate(values):
            if i != j:
                ax.text(j, i, f"{value:.2f}", ha="center", va="center",
                        color="black" if value > 0.6 * top else "white")
    bar = fig.colorbar(image, ax=ax, location="right" if few else "bottom", fraction=0.05 if few else 0.04,
                       pad=0.03, aspect=25 if few else 30)
    bar.set_label("Cosine similarity of TF-IDF vectors")
    return fig
