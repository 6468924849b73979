"""Benchmark: wall time of the whole study (every notebook, as `make study` runs it after set-up) against its
floor — for each notebook, starting a kernel and importing the libraries the notebooks use, and nothing else.
Target: study time at most 2x the floor. Prints figures; asserts nothing.

Usage: .venv/bin/python benchmarks/study_runtime.py [--repeat N]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

from analysis import config
from analysis.run import run_study, study_notebooks

IMPORTS = """import pandas, numpy, scipy, sklearn.feature_extraction.text, nltk, matplotlib.pyplot, syntok.segmenter
import vaderSentiment.vaderSentiment, yaml
import analysis.corpus, analysis.figures, analysis.pipeline"""


def floor_seconds(folder: Path) -> float:
    """Seconds to start one kernel per study notebook and import the libraries, as papermill does it."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(IMPORTS)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source = folder / "floor.ipynb"
    nbformat.write(nb, source)
    start = time.perf_counter()
    for _ in study_notebooks():
        papermill.execute_notebook(str(source), str(folder / "floor-out.ipynb"), cwd=str(config.NOTEBOOKS),
                                   kernel_name="python3", progress_bar=False,
                                   extra_arguments=["--IPKernelApp.log_level=ERROR"])
    return time.perf_counter() - start


def study_seconds(folder: Path) -> float:
    """Seconds for a whole study run on the seeds into a fresh folder."""
    start = time.perf_counter()
    run_study(None, str(folder / "out"), echo=lambda *a, **k: None)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median reported); default 3")
    repeat = parser.parse_args().repeat
    floors, studies = [], []
    for i in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            floors.append(floor_seconds(Path(tmp)))
            studies.append(study_seconds(Path(tmp)))
    floor, study = statistics.median(floors), statistics.median(studies)
    print(f"notebooks: {len(study_notebooks())}; runs: {repeat} (median)")
    print(f"floor (kernel start + imports per notebook): {floor:.1f} s")
    print(f"study (every notebook, seeds):               {study:.1f} s")
    print(f"ratio: {study / floor:.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()
