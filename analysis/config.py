"""Every path the study uses, in one place.

Relative paths given by a user (in a notebook's parameters cell) are taken relative to the repository root,
so a notebook opened in JupyterLab (working directory `notebooks/`) and a run from the shell agree.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DATA = Path(__file__).resolve().parent / "data"
SEEDS = ROOT / "seeds"
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_ARTICLES = ["seeds/*.txt"]
SEED_STUDY = SEEDS / "study.yaml"  # the seed study's questions (queries, focus frames and actors)


def resolve(path: str | Path) -> Path:
    """Absolute path: `path` as given if absolute, else relative to the repository root."""
    path = Path(path).expanduser()
    return path if path.is_absolute() else ROOT / path


def figures_dir(out: str | Path) -> Path:
    """Folder for the figures (PNG and SVG) of a study written to `out`."""
    return resolve(out) / "figures"


def figure_data_dir(out: str | Path) -> Path:
    """Folder for the CSV (and caption) behind each figure of a study written to `out`."""
    return figures_dir(out) / "data"


def tables_dir(out: str | Path) -> Path:
    """Folder for the study's tables (CSV) written to `out`."""
    return resolve(out) / "tables"
