"""Layout helpers every chart module shares: how many columns small multiples take, and their grid."""
from __future__ import annotations

import math

import matplotlib.pyplot as plt

from analysis.figures import WIDTH


def panel_columns(count: int, *, two_up_to: int = 6) -> int:
    """Columns of small multiples for `count` panels: one for a single panel, two up to `two_up_to` panels,
    three beyond."""
    return 1 if count == 1 else 2 if count <= two_up_to else 3


def panel_grid(count: int, row_height: float, *, columns: int | None = None, extra: float = 0.5,
               layout: str | None = "constrained", **kwargs) -> tuple[plt.Figure, list[plt.Axes]]:
    """(figure, the `count` visible axes in reading order) for small multiples of `row_height` inches a row in
    `columns` columns (default `panel_columns`), `extra` inches for titles and legends, spare panels hidden.
    `layout` and `kwargs` (sharex, sharey) go to `plt.subplots`; the default constrained layout keeps titles and
    tick labels inside the figure."""
    columns = min(columns or panel_columns(count), count)
    rows = math.ceil(count / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(WIDTH, extra + rows * row_height), squeeze=False,
                             layout=layout, **kwargs)
    for ax in axes.flat[count:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:count])

