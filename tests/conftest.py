"""Shared fixtures: the seed corpus, a full study run into a temporary folder, and paths to shared test data."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from analysis import config
from analysis.corpus import load_corpus

SHARED = config.ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """Path under ../shared, skipping the calling test when it is absent (tests never need ../shared)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path


def benchmark_module(name: str):
    """The module of `benchmarks/<name>.py` (the benchmarks are scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, config.ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def seed_corpus():
    """The two seed articles, loaded."""
    return load_corpus(config.DEFAULT_ARTICLES)


@pytest.fixture(scope="session")
def study_run(tmp_path_factory):
    """Output folder of a whole study run on the seeds (every notebook executed), made with `NLTK_DATA` pointing
    at an empty folder and HOME elsewhere, so any use of downloadable NLTK data fails the run."""
    from analysis.run import run_study

    empty, home = tmp_path_factory.mktemp("nltk_data"), tmp_path_factory.mktemp("home")
    saved = {key: os.environ.get(key) for key in ("NLTK_DATA", "HOME")}
    os.environ.update(NLTK_DATA=str(empty), HOME=str(home))
    try:
        out = run_study(None, str(tmp_path_factory.mktemp("study") / "out"), echo=lambda *a, **k: None)
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    return out


def colliding_tick_labels(fig) -> list[tuple[str, str]]:
    """Pairs of tick labels of the same axis of `fig` that would print over each other. Level labels collide when
    their boxes overlap; slanted labels (parallel lines of text) when the distance between neighbours, measured
    across the text, is less than the height of their lines."""
    import math
    from itertools import pairwise

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    found = []
    for ax in fig.axes:
        for labels in (ax.get_xticklabels(), ax.get_yticklabels()):
            shown = [t for t in labels if t.get_visible() and t.get_text()]
            for a, b in pairwise(shown):
                angle = math.radians(a.get_rotation())
                if angle % math.pi == 0:
                    collide = a.get_window_extent(renderer).overlaps(b.get_window_extent(renderer))
                else:
                    (x0, y0), (x1, y1) = (t.get_transform().transform(t.get_position()) for t in (a, b))
                    across = abs(-(x1 - x0) * math.sin(angle) + (y1 - y0) * math.cos(angle))
                    lines = max(t.get_text().count("\n") + 1 for t in (a, b))
                    height = lines * 1.2 * a.get_fontsize() * fig.dpi / 72  # matplotlib's line spacing: 1.2
                    collide = across < height
                if collide:
                    found.append((a.get_text(), b.get_text()))
    return found


def colliding_titles(fig) -> list[tuple[str, str]]:
    """Pairs of texts of `fig` that print over each other, where one is a panel title (centre, left or right) and
    the other another panel's title or any tick label."""
    from itertools import combinations

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    axes = [ax for ax in fig.axes if ax.get_visible()]
    titles = [t for ax in axes for t in (ax.title, ax._left_title, ax._right_title) if t.get_text()]
    ticks = [t for ax in axes for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_visible() and t.get_text()]
    boxes = {id(t): t.get_window_extent(renderer) for t in titles + ticks}
    pairs = list(combinations(titles, 2)) + [(a, b) for a in titles for b in ticks]
    return [(a.get_text(), b.get_text()) for a, b in pairs if boxes[id(a)].overlaps(boxes[id(b)])]
