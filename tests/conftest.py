"""Shared fixtures: the seed corpus, a full study run into a temporary folder, and paths to shared test data."""
from __future__ import annotations

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
