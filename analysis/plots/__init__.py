"""Chart functions, one module per chapter, and the type sizes they share.

Every figure is `analysis.figures.WIDTH` (6.4 in) wide. Printed at half the width of an A4 page (105 mm) it
shrinks to 65%, so type must be set at 12.5 pt to print at 8 pt: TEXT (tick labels, legends, values written in
a chart) is 12.5 pt and HEADING (axis labels, panel titles) 13.5 pt. `legible` applies both to a chart function.
"""
from __future__ import annotations

import functools

import matplotlib.pyplot as plt

TEXT = 12.5     # pt: prints at 8 pt when a 6.4 in figure is scaled to 105 mm (12.5 × 105 / 162.6)
HEADING = 13.5  # pt: prints at 8.7 pt
SIZES = {"font.size": TEXT, "axes.titlesize": HEADING, "axes.labelsize": HEADING, "xtick.labelsize": TEXT,
         "ytick.labelsize": TEXT, "legend.fontsize": TEXT, "legend.title_fontsize": TEXT,
         "figure.titlesize": HEADING, "figure.labelsize": HEADING}


def legible(chart):
    """`chart` (a function returning a Figure) drawing with the study's print type sizes, TEXT and HEADING."""
    @functools.wraps(chart)
    def drawn(*args, **kwargs):
        with plt.rc_context(SIZES):
            return chart(*args, **kwargs)
    return drawn
