"""Charts of the sentiment step: score distributions, class shares, arcs, groups, and the two lexicons compared.

Every chart uses VADER's compound score (-1 to +1) with the neutral band (-0.05, 0.05) shaded, colours sentences
by class (Okabe–Ito vermillion negative, grey neutral, blue positive), and prints n wherever a mean is shown.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator

from analysis.figures import ARTICLE_COLOURS, WIDTH, article_colours, wrap_label
from analysis.plots import HEADING, TEXT, legible
from analysis.plots.layout import panel_columns, panel_grid
from analysis.sentiment import CLASSES, MIN_N, THRESHOLD, polarity

CLASS_COLOURS = {"negative": "#D55E00", "neutral": "#999999", "positive": "#0072B2"}
LIMITS = (-1.05, 1.05)
MAX_LEGEND_ARTICLES = ARTICLE_COLOURS  # more articles than colours: grey dots, no legend
NEUTRAL_CAPTION = f"the grey band is VADER's neutral range (−{THRESHOLD} to +{THRESHOLD})"  # `neutral_band` in words


def jitter(count: int, spread: float = 0.3) -> list[float]:
    """`count` deterministic offsets in [-spread/2, spread/2) that spread overlapping dots."""
    return [(((i * 7919) % 11) / 11 - 0.5) * spread for i in range(count)]


def score_axis(axis) -> None:
    """Ticks every 0.5 on a compound-score `axis` (x or y axis object), written -1, -0.5, 0, 0.5, 1."""
    axis.set_major_locator(MultipleLocator(0.5))
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}".replace("-", "−")))


def neutral_band(ax: plt.Axes, *, axis: str = "x") -> None:
    """Shade VADER's neutral band (-THRESHOLD, THRESHOLD) and draw the zero line on `ax` along `axis`."""
    span, line = (ax.axvspan, ax.axvline) if axis == "x" else (ax.axhspan, ax.axhline)
    span(-THRESHOLD, THRESHOLD, color="#DDDDDD", zorder=0, lw=0)
    line(0, color="#777777", lw=0.8, zorder=1)


def with_n(label: str, n: int, width: int) -> str:
    """`label (n = 12)` wrapped to lines of `width` characters, never breaking inside 'n = 12'."""
    return wrap_label(f"{label} (n\u00a0=\u00a0{n})", width)


def article_tick(label: str, n: int, width: int = 24) -> str:
    """Tick label of an article: its display label (wrapped) and its number of sentences."""
    return f"{wrap_label(label, width)}\nn = {n}"


def row_height(ticks: list[str], *, per_line: float = 0.23, least: float = 0.6) -> float:
    """Inches per row of a chart whose tick labels are `ticks`: room for the longest label's lines."""
    return max(least, 0.15 + per_line * max(t.count("\n") + 1 for t in ticks))


def article_legend(labels: dict[str, str], colours: dict[str, str], extra: list) -> tuple[list, int]:
    """(handles, columns) for a legend of `extra` handles and one dot per article: four columns when every label
    is short, else two, with labels wrapped to fit."""
    short = all(len(label) <= 12 for label in labels.values())
    dots = [Line2D([], [], marker="o", ls="", color=colours[a], label=wrap_label(label, 26))
            for a, label in labels.items()]
    handles = extra + dots
    return handles, min(4 if short else 2, len(handles))


def legend_on_top(fig: plt.Figure, handles: list, columns: int, **options) -> None:
    """Draw a legend of `handles` in `columns` columns centred at the top of `fig` (so that long tick labels
    cannot push it off the page), then lay the figure out beneath it."""
    legend = fig.legend(handles=handles, loc="upper center", ncol=columns, frameon=False, handletextpad=0.5,
                        columnspacing=0.8, **options)
    fig.canvas.draw()
    top = legend.get_window_extent().height / fig.dpi + 0.1
    fig.tight_layout(rect=(0, 0, 1, 1 - top / fig.get_figheight()))


def class_legend(extra: list | None = None) -> list:
    """Legend handles for the three sentence classes (as dots), followed by `extra` handles."""
    dots = [Line2D([], [], marker="o", ls="", color=CLASS_COLOURS[c], label=c) for c in CLASSES]
    return dots + (extra or [])


@legible
def plot_sentence_scores(scored: pd.DataFrame, summary: pd.DataFrame, labels: dict[str, str]) -> plt.Figure:
    """Box plot with every sentence as a dot (coloured by class) of VADER compound scores per article (a
    `scored_sentences` table), with the mean and its bootstrap 95% interval (from `article_sentiment`) as a black
    diamond and bar; articles on the y axis in corpus order, labelled with `labels` and n."""
    ids = list(summary["article_id"])
    ticks = [article_tick(labels[a], n) for a, n in zip(ids, summary["n"])]
    fig, ax = plt.subplots(figsize=(WIDTH, max(2.9, 1.6 + row_height(ticks) * len(ids))))
    neutral_band(ax)
    groups = [scored.loc[scored["article_id"] == a] for a in ids]
    grey = {"color": "#555555"}
    ax.boxplot([g["compound"] for g in groups], orientation="horizontal", widths=0.55, showfliers=False,
               medianprops={"color": "black"}, boxprops=grey, whiskerprops=grey, capprops=grey, tick_labels=ticks)
    for y, group in enumerate(groups, start=1):
        offsets = jitter(len(group))
        ax.scatter(group["compound"], [y + j for j in offsets], s=16, alpha=0.8, zorder=3,
                   color=group["polarity"].map(CLASS_COLOURS))
    for y, row in enumerate(summary.itertuples(), start=1):
        ax.errorbar(row.mean, y + 0.38, xerr=[[row.mean - row.ci_low], [row.ci_high - row.mean]], fmt="D",
                    color="black", ms=5, capsize=3, lw=1.2, zorder=4)
    ax.invert_yaxis()
    ax.set_xlim(LIMITS)
    score_axis(ax.xaxis)
    ax.set_xlabel("VADER compound score\n(−1 negative, +1 positive)")
    mean = Line2D([], [], marker="D", color="black", ms=5, label="mean, 95% CI")
    legend_on_top(fig, class_legend([mean]), 4, handlelength=1.5)
    return fig


@legible
def plot_polarity_shares(summary: pd.DataFrame, labels: dict[str, str]) -> plt.Figure:
    """Stacked horizontal bars: the share of negative, neutral and positive sentences in each article (from
    `article_sentiment`), with percentages printed in segments wide enough to hold them."""
    ids = list(summary["article_id"])
    ticks = [article_tick(labels[a], n) for a, n in zip(ids, summary["n"])]
    fig, ax = plt.subplots(figsize=(WIDTH, max(2.5, 1.5 + row_height(ticks, least=0.5) * len(ids))))
    left = pd.Series(0.0, index=summary.index)
    names = {"negative": f"negative (≤ −{THRESHOLD})", "neutral": "neutral",
             "positive": f"positive (≥ {THRESHOLD})"}
    for cls in CLASSES:
        ax.barh(range(len(ids)), summary[cls], left=left, color=CLASS_COLOURS[cls], label=names[cls], height=0.6)
        for y, (start, share) in enumerate(zip(left, summary[cls])):
            if share >= 0.09:
                ax.text(start + share / 2, y, f"{share:.0%}", ha="center", va="center", color="white")
        left = left + summary[cls]
    ax.set_yticks(range(len(ids)), ticks)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    ax.set_xlabel("Share of sentences\n(class by VADER compound score)")
    legend_on_top(fig, ax.get_legend_handles_labels()[0], 3, handlelength=1.0)
    return fig


@legible
def plot_arcs(arcs: pd.DataFrame, labels: dict[str, str], *, window: int, columns: int | None = None) -> plt.Figure:
    """Small multiples, one panel per article in corpus order: each sentence's compound score as a lollipop
    (coloured by class) at its position in reading order, and the centred rolling mean over `window` sentences
    (from `sentiment_arc`) as a black line; a shared y axis, and each panel's x axis spanning its own article (a
    long article beside short ones would squeeze them); `columns` panels per row (default:
    `layout.panel_columns`, two up to eight articles)."""
    ids = list(dict.fromkeys(arcs["article_id"]))
    columns = min(columns or panel_columns(len(ids), two_up_to=8), len(ids))
    titles = {a: with_n(labels[a], (arcs["article_id"] == a).sum(), 50 // columns) for a in ids}
    lines = max(t.count("\n") + 1 for t in titles.values())
    fig, panels = panel_grid(len(ids), 1.75 + 0.22 * lines, columns=columns, extra=1.2, layout=None, sharex=False,
                             sharey=True)
    for ax, article_id in zip(panels, ids):
        arc = arcs[arcs["article_id"] == article_id]
        colours = polarity(arc["compound"]).map(CLASS_COLOURS)
        neutral_band(ax, axis="y")
        ax.vlines(arc["sentence_index"], 0, arc["compound"], colors=colours, lw=1.2)
        ax.scatter(arc["sentence_index"], arc["compound"], s=12, color=colours, zorder=3)
        ax.plot(arc["sentence_index"], arc["rolling"], color="black", lw=1.6, zorder=4)
        ax.set_title(titles[article_id], fontsize=HEADING if columns < 3 else TEXT)
        ax.set_ylim(LIMITS)
        ax.set_yticks([-1, 0, 1], ["−1", "0", "1"])
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4 if columns > 2 else "auto", integer=True))
        ax.tick_params(labelbottom=True)
    for ax in panels[::columns]:  # the first column
        ax.set_ylabel("Compound")
    for ax in panels[-columns:]:
        ax.set_xlabel("Sentence" if columns > 2 else "Sentence (reading order)")
    rolling = Line2D([], [], color="black", lw=1.6, label=f"{window}-sentence rolling mean")
    fig.legend(handles=class_legend([rolling]), loc="upper center", ncol=4, frameon=False,
               handletextpad=0.5, columnspacing=0.8, handlelength=1.2)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.4 / fig.get_figheight()))
    return fig


def dot_colouring(articles: int) -> str:
    """How `plot_group_sentiment` colours its dots for `articles` articles, in a caption's words."""
    return "coloured by article" if articles <= MAX_LEGEND_ARTICLES else \
        f"grey (more than {MAX_LEGEND_ARTICLES} articles: too many to tell apart by colour)"


@legible
def plot_group_sentiment(long: pd.DataFrame, summary: pd.DataFrame, labels: dict[str, str], *, group: str,
                         top: int = 12, names: dict[str, str] | None = None) -> plt.Figure:
    """Dot plot of sentiment by group (frame, speaker or actor): for the first `top` groups of `summary` (from
    `ranked_groups`), every sentence of the group in `long` as a dot (coloured by article when there are at most
    seven articles, one colour each, else grey) and the group mean with its bootstrap 95% interval as a black
    diamond (hollow and without an interval when the group is `small`: a handful of sentences gives no useful
    interval); groups
    labelled by `names` (group value → display name, default the value), with n, on the y axis."""
    shown = summary.head(top)
    ids = list(labels)
    colours = article_colours(ids) if len(ids) <= MAX_LEGEND_ARTICLES else {a: "#888888" for a in ids}
    names = names or {}
    ticks = [with_n(names.get(getattr(r, group), getattr(r, group)), r.n, 24) for r in shown.itertuples()]
    fig, ax = plt.subplots(figsize=(WIDTH, 1.9 + row_height(ticks, least=0.5) * len(shown)))
    neutral_band(ax)
    for y, row in enumerate(shown.itertuples()):
        dots = long[long[group] == getattr(row, group)]
        ax.scatter(dots["compound"], [y + j for j in jitter(len(dots), 0.4)], s=14, alpha=0.75, zorder=3,
                   color=dots["article_id"].map(colours))
        face = "white" if row.small else "black"
        ax.errorbar(row.mean, y, xerr=None if row.small else [[row.mean - row.ci_low], [row.ci_high - row.mean]],
                    fmt="D", color="black", mfc=face, ms=6, capsize=3, lw=1.2, zorder=4)
    ax.set_yticks(range(len(shown)), ticks)
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.set_xlim(LIMITS)
    score_axis(ax.xaxis)
    ax.set_xlabel("VADER compound score\n(−1 negative, +1 positive)")
    means = [Line2D([], [], marker="D", color="black", ls="", label="mean, 95% CI"),
             Line2D([], [], marker="D", color="black", mfc="white", ls="", label=f"mean, n < {MIN_N} (no CI)")]
    shown_labels = labels if len(ids) <= MAX_LEGEND_ARTICLES else {}
    handles, columns = article_legend(shown_labels, colours, means)
    legend_on_top(fig, handles, columns, handlelength=1.2)
    return fig


def nearby_groups(worst: pd.DataFrame, *, near: float) -> list[tuple[tuple[float, float], list[int]]]:
    """Ranks of the sentences in `worst` grouped greedily by place: a sentence within `near` (on both axes) of a
    group's first sentence joins it; returns ((vader, textblob) of that first sentence, ranks) per group."""
    groups: list[tuple[tuple[float, float], list[int]]] = []
    for row in worst.itertuples():
        home = next((g for g in groups if abs(g[0][0] - row.vader) < near and abs(g[0][1] - row.textblob) < near),
                    None)
        if home:
            home[1].append(row.rank)
        else:
            groups.append(((row.vader, row.textblob), [row.rank]))
    return groups


@legible
def plot_lexicon_scatter(lexicons: pd.DataFrame, agreement: pd.DataFrame, worst: pd.DataFrame,
                         labels: dict[str, str]) -> plt.Figure:
    """Scatter of each sentence's VADER compound (x) against its TextBlob polarity (y) from `lexicon_scores`,
    coloured by article, with the diagonal y = x, the correlations of all sentences (first row of
    `lexicon_agreement`) as title, and the sentences of `worst` (from `disagreements`) ringed and numbered by rank
    (sentences at about the same place share one label)."""
    ids = list(labels)
    colours = article_colours(ids) if len(ids) <= MAX_LEGEND_ARTICLES else {a: "#888888" for a in ids}
    fig, ax = plt.subplots(figsize=(WIDTH, 5.6))
    neutral_band(ax, axis="x")
    neutral_band(ax, axis="y")
    ax.plot(LIMITS, LIMITS, ls="--", color="#777777", lw=0.8)
    ax.scatter(lexicons["vader"], lexicons["textblob"], s=18, alpha=0.8, color=lexicons["article_id"].map(colours),
               zorder=3)
    ax.scatter(worst["vader"], worst["textblob"], s=70, facecolors="none", edgecolors="black", lw=1, zorder=4)
    for (x, y), ranks in nearby_groups(worst, near=0.08):
        inward = -1 if x > 0 else 1  # toward the middle, so a label at either edge stays inside the axes
        ax.annotate(", ".join(map(str, ranks)), (x, y), xytext=(7 * inward, 5), textcoords="offset points",
                    ha="left" if inward > 0 else "right", fontweight="bold", zorder=5)
    total = agreement.iloc[0]
    ax.set_title(f"{total.n} sentences: Pearson r = {total.pearson:.2f}, Spearman ρ = {total.spearman:.2f}",
                 fontsize=HEADING)
    ax.set_xlim(LIMITS)
    ax.set_ylim(LIMITS)
    score_axis(ax.xaxis)
    score_axis(ax.yaxis)
    ax.set_aspect("equal")
    ax.set_xlabel("VADER compound")
    ax.set_ylabel("TextBlob polarity")
    if len(ids) <= MAX_LEGEND_ARTICLES:
        handles, columns = article_legend(labels, colours, [])
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=columns, frameon=False,
                  handletextpad=0.2, columnspacing=0.8)
    fig.tight_layout()
    return fig
