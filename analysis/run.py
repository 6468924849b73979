"""Running the study: execute every notebook in order with the articles and output folder given.

A run executes `notebooks/*.ipynb` (papermill) into a staging folder inside the output folder, then writes
`figures/README.md` and an HTML copy of each notebook, and only then moves `notebooks/`, `figures/`, `tables/`
and `html/` into place, so a failed or interrupted run leaves an earlier run's outputs intact; it replaces only
files a run wrote and never touches a user's (`analysis.outputs.output_folder`). The default run (no `--out`)
writes in place: executed notebooks back into `notebooks/`, figures and tables into the repository; only the
seed articles are run there (other articles' study goes to an --out folder, never over the seed study).

Notebooks that only read the articles run side by side (`JOBS` at a time, each in its own kernel); a notebook
whose metadata says `"study": {"reads": "tables"}` (the findings notebook) reads the tables the others write, so
it runs after them.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from analysis import config
from analysis.corpus import expand_paths, load_corpus
from analysis.corpus import InputError
from analysis.outputs import output_folder, replace_outputs, writing

JOBS = min(2, os.cpu_count() or 1)  # notebooks executed at a time
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


def execute_notebook(source: Path, target: Path, parameters: dict | None) -> float:
    """Execute `source` into `target` with papermill (working folder `notebooks/`); return seconds taken."""
    import papermill  # notebook libraries load only when a run needs them (`score` imports this module too)

    start = time.perf_counter()
    papermill.execute_notebook(str(source), str(target), parameters=parameters or {}, cwd=str(config.NOTEBOOKS),
                               kernel_name="python3", progress_bar=False, log_output=False,
                               extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    return time.perf_counter() - start


def reads_tables(notebook: Path) -> bool:
    """True if `notebook`'s metadata says it reads the tables other notebooks write (`"study": {"reads":
    "tables"}`), so that it must run after them."""
    import nbformat

    return nbformat.read(notebook, as_version=4).metadata.get("study", {}).get("reads") == "tables"


def parameters_source(articles: list[str], out: str) -> str:
    """The source of a notebook's first cell (tagged 'parameters') for the articles `articles` and output folder
    `out` (relative paths are from the repository root)."""
    lines = [f"ARTICLES = {json.dumps(articles, ensure_ascii=False)}", f"OUT = {json.dumps(out, ensure_ascii=False)}"]
    comments = ["paths, folders or globs, relative to the repository root",
                "where tables/ and figures/ go, relative to the repository root"]
    width = max(map(len, lines)) + 2
    return "\n".join(f"{line:<{width}}# {comment}" for line, comment in zip(lines, comments))


def tidy_notebook(path: Path, shown: dict):
    """Rewrite executed notebook `path` for reading, rerunning and diffing: drop papermill's timing metadata,
    join the printed output a cell sent in several pieces (how it is cut depends on timing), and put the run's
    parameters (`shown`: ARTICLES and OUT as the notebook reads them, never the staging folder the run wrote to)
    into the first cell in place of the cell papermill injected after it, so that the notebook reruns as it ran
    and editing its first cell is all a rerun in JupyterLab needs; code cells are then numbered 1, 2, ...
    Returns the notebook node."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("papermill", None)
    nb.cells = [cell for cell in nb.cells if "injected-parameters" not in cell.metadata.get("tags", [])]
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    code[0].source = parameters_source(shown["ARTICLES"], shown["OUT"])
    for number, cell in enumerate(code, start=1):
        cell.execution_count = number
        cell.outputs = joined_streams(cell.outputs)
        for output in cell.outputs:
            if "execution_count" in output:
                output["execution_count"] = number
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    return nb


def joined_streams(outputs: list) -> list:
    """Notebook `outputs` with each run of consecutive stream outputs of the same stream (stdout or stderr)
    joined into one."""
    joined: list = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (output.output_type == "stream" and previous is not None and previous.output_type == "stream"
                and previous.name == output.name):
            previous.text += output.text
        else:
            joined.append(output)
    return joined


def export_html(nb, target: Path) -> None:
    """Write notebook node `nb` as one self-contained HTML file to `target`: images embedded, and nothing loaded
    from the network (the template `data/offline.html.j2` drops the lab template's script links)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(embed_images=True, template_file=str(config.PACKAGE_DATA / "offline.html.j2"))
    body, _ = exporter.from_notebook_node(nb)
    target.write_text(body, encoding="utf-8")


def move_into_place(staging: Path, out: Path) -> None:
    """Move the run's outputs from `staging` to `out` (`outputs.replace_outputs`: files of an earlier run are
    replaced or deleted, no other file is touched). In the repository root the executed notebooks replace the
    notebook files one by one, there are no HTML copies, and the findings go into the README; elsewhere the
    findings go to FINDINGS.md."""
    if out != config.ROOT:
        replace_outputs(staging, out, OUTPUTS + (FINDINGS,))
        return
    for notebook in (staging / "notebooks").glob("*.ipynb"):
        os.replace(notebook, out / "notebooks" / notebook.name)
    replace_outputs(staging, out, ("figures", "tables"))
    from analysis.findings import write_findings  # matplotlib loads only for a run (`score` imports this module)

    write_findings(out, readme=out / "README.md")


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
    paths = article_paths(from_cwd(articles) if articles else None)
    if out_dir == config.ROOT and paths != [str(p) for p in expand_paths(config.DEFAULT_ARTICLES)]:
        raise InputError(f"{out_dir}: is the repository, which holds the seed study; write a study of other "
                         "articles to a folder of its own (--out runs/NAME)")
    with output_folder(out_dir, OUTPUTS + (FINDINGS,), "run") as staging:
        _run_into(staging, paths, articles, out, echo)
        move_into_place(staging, out_dir)
    return out_dir


def _run_into(staging: Path, paths: list[str], articles: list[str] | None, out: str | None, echo) -> None:
    """Execute all notebooks into `staging` (those that read only the articles `JOBS` at a time, then those that
    read the tables), each followed by its HTML copy; then write the figure index and the findings there. What
    the kernels write to their own stderr goes to `staging/kernel.log` (see `stderr_to`)."""
    for name in OUTPUTS:
        (staging / name).mkdir()
    notebooks = study_notebooks()
    shown = {"ARTICLES": from_cwd(articles) if articles else list(config.DEFAULT_ARTICLES),
             "OUT": str(Path(out).resolve()) if out else "."}
    parameters = {"ARTICLES": paths, "OUT": str(staging)}
    kernel_log = staging / "kernel.log"

    def run(source: Path) -> float:
        return run_notebook(source, staging, parameters, shown, kernel_log)

    later = [source for source in notebooks if reads_tables(source)]
    first = [source for source in notebooks if source not in later]
    done = 0
    with stderr_to(kernel_log), ThreadPoolExecutor(JOBS) as pool:
        try:
            for source, future in zip(first, [pool.submit(run, source) for source in first]):
                done += 1
                report(future, source, done, len(notebooks), echo, pool)
            for source in later:
                done += 1
                report(pool.submit(run, source), source, done, len(notebooks), echo, pool)
        except BaseException:  # a failed notebook or Ctrl-C: start no other, stop the kernels still running
            pool.shutdown(wait=False, cancel_futures=True)
            stop_children()
            raise
    from analysis.figures import write_figure_index  # matplotlib loads only for a run (`score` imports this module)
    from analysis.findings import write_findings

    write_figure_index(staging)
    write_findings(staging)


def stop_children(grace: float = 3.0) -> None:
    """End this process's child processes (the notebook kernels): terminate them, and kill those still running
    after `grace` seconds."""
    import psutil

    children = psutil.Process().children(recursive=True)
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=grace)
    for child in alive:
        with contextlib.suppress(psutil.Error):
            child.kill()


def report(future, source: Path, number: int, total: int, echo, pool: ThreadPoolExecutor) -> None:
    """Wait for `future` (the run of notebook `source`) and echo its time; if it failed, cancel the notebooks not
    yet started and raise its NotebookFailed."""
    try:
        seconds = future.result()
    except NotebookFailed:
        echo(f"[{number}/{total}] {source.name} failed")
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    echo(f"[{number}/{total}] {source.name} {seconds:.1f} s")


def run_notebook(source: Path, staging: Path, parameters: dict, shown: dict, kernel_log: Path) -> float:
    """Execute notebook `source` into `staging/notebooks/`, tidy it (`shown` parameters) and write its HTML copy
    to `staging/html/`; return the seconds execution took. Raises NotebookFailed naming the notebook and cell."""
    from nbclient.exceptions import DeadKernelError
    from papermill import PapermillExecutionError

    target, html_copy = staging / "notebooks" / source.name, staging / "html" / f"{source.stem}.html"
    try:
        with writing(target):
            seconds = execute_notebook(source, target, parameters)
    except PapermillExecutionError as error:
        raise NotebookFailed(f"notebooks/{source.name} failed in cell {error.cell_index} "
                             f"(execution count {error.exec_count}): {error.ename}: {error.evalue}") from None
    except DeadKernelError:
        raise NotebookFailed(f"notebooks/{source.name}: the Python kernel stopped mid-run "
                             f"(its last message: {last_line(kernel_log) or 'none'})") from None
    with writing(target):
        nb = tidy_notebook(target, shown)
    with writing(html_copy):
        export_html(nb, html_copy)
    return seconds
