"""Running the study: execute every notebook in order with the articles and output folder given.

A run executes `notebooks/*.ipynb` (papermill) into a staging folder beside the output folder, then writes
`figures/README.md` and an HTML copy of each notebook, and only then moves `notebooks/`, `figures/`, `tables/`
and `html/` into place, so a failed run leaves an earlier run's outputs intact. The default run (no `--out`)
writes in place: executed notebooks back into `notebooks/`, figures and tables into the repository.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

from analysis import config
from analysis.corpus import InputError, expand_paths, load_corpus
from analysis.figures import write_figure_index
from analysis.findings import write_findings

MARKER = ".study-run"
OUTPUTS = ("notebooks", "figures", "tables", "html")
FINDINGS = "FINDINGS.md"


def study_notebooks(folder: Path = config.NOTEBOOKS) -> list[Path]:
    """The study's notebooks, in reading (file name) order."""
    return sorted(folder.glob("[0-9]*.ipynb"))


def article_paths(patterns: list[str] | None) -> list[str]:
    """Absolute paths of the articles named by `patterns` (default: the seeds), after loading them once so that
    bad input fails here, with one line, before any notebook starts. Load warnings are printed."""
    patterns = patterns or config.DEFAULT_ARTICLES
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_corpus(patterns)
    for note in caught:
        print(f"warning: {note.message}", file=sys.stderr)
    return [str(path) for path in expand_paths(patterns)]


def check_out_folder(out: Path) -> None:
    """Raise InputError unless `out` is the repository root, missing, empty, or an earlier run's folder: a run
    never writes into a folder a user filled, nor into `seeds/`."""
    if out == config.ROOT:
        return
    if out == config.SEEDS or config.SEEDS in out.parents:
        raise InputError(f"{out}: is inside seeds/, which is never written to; choose another --out folder")
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is a file; choose a folder for --out")
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise InputError(f"{out}: exists and holds files not written by a study run; choose a new or empty folder")


@contextlib.contextmanager
def stderr_to(log: Path):
    """Send file descriptor 2 of this process, and so the stderr of every process it starts meanwhile (the
    notebook kernel), to the end of file `log`. Python errors inside notebooks reach the notebook itself; what a
    kernel writes to its own stderr is low-level noise (e.g. ZeroMQ messages at shutdown) the user need not see."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "ab") as file:
        os.dup2(file.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def last_line(path: Path) -> str:
    """The last non-blank line of text file `path`, or "" if it is missing or blank."""
    lines = path.read_text(errors="replace").split("\n") if path.exists() else []
    return next((line.strip() for line in reversed(lines) if line.strip()), "")


def execute_notebook(source: Path, target: Path, parameters: dict | None, kernel_log: Path) -> float:
    """Execute `source` into `target` with papermill (working folder `notebooks/`), the kernel's stderr going to
    `kernel_log`; return seconds taken."""
    import papermill  # notebook libraries load only when a run needs them (`score` imports this module too)

    start = time.perf_counter()
    with stderr_to(kernel_log):
        papermill.execute_notebook(str(source), str(target), parameters=parameters or {}, cwd=str(config.NOTEBOOKS),
                                   kernel_name="python3", progress_bar=False, log_output=False,
                                   extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    return time.perf_counter() - start


def tidy_notebook(path: Path, shown: dict):
    """Rewrite executed notebook `path` for reading and diffing: drop papermill's timing metadata and show the
    injected parameters as the user gave them (`shown`: relative paths, final output folder), not as the
    absolute and staging paths the run passed. Returns the notebook node."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
            cell.source = "# Parameters of this run\n" + "\n".join(f"{k} = {v!r}" for k, v in shown.items())
    nbformat.write(nb, path)
    return nb


def export_html(nb, target: Path) -> None:
    """Write notebook node `nb` as one self-contained HTML file (images embedded) to `target`."""
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter(embed_images=True).from_notebook_node(nb)
    target.write_text(body, encoding="utf-8")


def move_into_place(staging: Path, out: Path) -> None:
    """Move the run's outputs from `staging` to `out`. In the repository root the executed notebooks replace
    the notebook files one by one and the findings go into the README; elsewhere each output folder is
    replaced whole and the findings go to FINDINGS.md."""
    out.mkdir(parents=True, exist_ok=True)
    for name in OUTPUTS:
        if out == config.ROOT and name == "notebooks":
            for notebook in (staging / name).glob("*.ipynb"):
                shutil.copyfile(notebook, out / name / notebook.name)
            continue
        if out == config.ROOT and name == "html":
            continue
        if (out / name).exists():
            shutil.rmtree(out / name)
        shutil.move(str(staging / name), str(out / name))
    if out == config.ROOT:
        write_findings(out, readme=out / "README.md")
    else:
        shutil.move(str(staging / FINDINGS), str(out / FINDINGS))
        (out / MARKER).write_text("Written by `python -m analysis run`; safe to replace with a new run.\n")


class NotebookFailed(Exception):
    """A notebook raised an error; the message names the notebook and the failing cell."""


def from_cwd(patterns: list[str]) -> list[str]:
    """`patterns` (paths or globs) with relative ones made absolute from the current working folder, as a
    shell user means them (notebook parameters, in contrast, are relative to the repository root)."""
    return [p if Path(p).expanduser().is_absolute() else str(Path.cwd() / p) for p in map(str, patterns)]


def run_study(articles: list[str] | None = None, out: str | None = None, *, echo=print) -> Path:
    """Execute every study notebook on `articles` (paths or globs, relative ones from the current working
    folder; default the seeds), writing to `out` (default: the repository, in place). Return the output folder.
    Raises InputError for bad input and NotebookFailed when a notebook fails (outputs of earlier runs are then
    left as they were)."""
    out_dir = Path(out).resolve() if out else config.ROOT
    check_out_folder(out_dir)
    paths = article_paths(from_cwd(articles) if articles else None)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir.parent if out else config.ROOT))
    try:
        _run_into(staging, paths, articles, out, echo)
        move_into_place(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out_dir


def _run_into(staging: Path, paths: list[str], articles: list[str] | None, out: str | None, echo) -> None:
    """Execute all notebooks into `staging`, then write the figure index and the HTML copies there."""
    from nbclient.exceptions import DeadKernelError
    from papermill import PapermillExecutionError

    for name in OUTPUTS:
        (staging / name).mkdir()
    shown = {"ARTICLES": list(articles or config.DEFAULT_ARTICLES), "OUT": out or "."}
    notebooks = study_notebooks()
    kernel_log = staging / "kernel.log"
    for number, source in enumerate(notebooks, start=1):
        target = staging / "notebooks" / source.name
        try:
            seconds = execute_notebook(source, target, {"ARTICLES": paths, "OUT": str(staging)}, kernel_log)
        except PapermillExecutionError as error:
            echo(f"[{number}/{len(notebooks)}] {source.name} failed")
            raise NotebookFailed(f"notebooks/{source.name} failed in cell {error.cell_index} "
                                 f"(execution count {error.exec_count}): {error.ename}: {error.evalue}") from None
        except DeadKernelError:
            echo(f"[{number}/{len(notebooks)}] {source.name} failed")
            raise NotebookFailed(f"notebooks/{source.name}: the Python kernel stopped mid-run "
                                 f"(its last message: {last_line(kernel_log) or 'none'})") from None
        echo(f"[{number}/{len(notebooks)}] {source.name} {seconds:.1f} s")
        export_html(tidy_notebook(target, shown), staging / "html" / f"{source.stem}.html")
    write_figure_index(staging)
    write_findings(staging)
