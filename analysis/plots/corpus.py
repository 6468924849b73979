"""Charts of the corpus step: sentence lengths and most frequent terms per article."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis.figures import WIDTH, article_colours, wrap_label
from analysis.plots import legible
from analysis.plots.vocabulary import plot_top_bars


@legible
def plot_sentence_lengths(lengths: pd.DataFrame, labels: dict[str, str]) -> plt.Figure:
    """Box plot with every sentence as a dot: words per sentence (from `describe.sentence_lengths`) per article,
    articles on the y axis in corpus order, labelled by `labels` (article_id → display label)."""
    ids = list(dict.fromkeys(lengths["article_id"]))
    colours = article_colours(list(labels))
    ticks = [wrap_label(labels[a], 24) for a in ids]
    lines = max(t.count("\n") + 1 for t in ticks)
    fig, ax = plt.subplots(figsize=(WIDTH, max(2.4, 1.0 + (0.22 + 0.22 * lines) * len(ids))))
    groups = [lengths.loc[lengths["article_id"] == a, "words"] for a in ids]
    ax.boxplot(groups, orientation="horizontal", widths=0.5, showfliers=False,
               medianprops={"color": "black"}, tick_labels=ticks)
    for y, (article_id, values) in enumerate(zip(ids, groups), start=1):
        jitter = [(((i * 7919) % 11) / 11 - 0.5) * 0.3 for i in range(len(values))]
        ax.scatter(values, [y + j for j in jitter], s=14, alpha=0.7, color=colours[article_id], zorder=3)
    ax.invert_yaxis()
    ax.set_xlabel("Words per sentence")
    ax.set_xlim(left=0)
    fig.tight_layout()
    return fig


def plot_top_terms(frequencies: pd.DataFrame, labels: dict[str, str], columns: int = 2) -> plt.Figure:
    """Small multiples: horizontal bars of the most frequent terms (from `describe.term_frequencies`) in each
    article, one panel per article, `columns` panels per row up to six articles (three beyond), shared count axis;
    drawn by `plots.vocabulary.plot_top_bars`, like the other ranked-term charts."""
    ids = list(dict.fromkeys(frequencies["article_id"]))
    return plot_top_bars(frequencies, labels, "count", "Count", columns=columns if len(ids) <= 6 else 3)
