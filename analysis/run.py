"""Running the study: execute the study's notebooks in order with the articles and output folder given.

A run executes the study's notebooks (`NOTEBOOKS`, never any other notebook in `notebooks/`) with papermill into a
staging folder inside the output folder, then writes `figures/README.md`, an HTML copy of each notebook and the
explorer page (`explorer.html`, `analysis.explorer`), and only then moves `notebooks/`, `figures/`, `tables/`,
`html/` and the page into place, so a failed or interrupted run leaves an earlier run's outputs intact; it replaces
only files a run wrote and never touches a user's (`analysis.outputs.output_folder`). The default run (no `--out`)
writes in place: executed notebooks back into `notebooks/`, figures and tables into the repository, and the page
to `explorer.html` at the repository root, beside `figures/`; only the seed articles are run there (other
articles' study goes to an --out folder, never over the seed study).

Notebooks that only read the articles run side by side (`JOBS` at a time, each in its own kernel); a notebook
whose metadata says `"study": {"reads": "tables"}` (the findings notebook) reads the tables the others write, so
it runs after them.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from analysis import config
from analysis.coders import CODERS
from analysis.concordance import query_patterns
from analysis.corpus import expand_paths, load_corpus
from analysis.errors import InputError, writing
from analysis.explorer import EXPLORER, write_explorer
from analysis.outputs import output_folder, replace_outputs
from analysis.questions import article_groups, check_names, read_study_file

JOBS = min(2, os.cpu_count() or 1)  # notebooks executed at a time
KERNEL_START = 300  # seconds a notebook kernel may take to start (papermill's 60 s failed on a loaded machine)
DISK_LOW = 16 * 2**20  # bytes free under which a kernel that died is put down to a full disk
OUTPUTS = ("notebooks", "figures", "tables", "html")
FINDINGS = "FINDINGS.md"


NOTEBOOKS = ("01_corpus", "02_vocabulary", "03_framing", "04_sentiment", "05_findings")  # the study, in order
QUESTIONS = ("QUERIES", "FRAMES", "ACTORS", "GROUP")  # notebook parameters holding the study's questions
COMMENTS = {"ARTICLES": "paths, folders or globs, relative to the repository root",
            "OUT": "where tables/ and figures/ go, relative to the repository root",
            "QUERIES": "words or phrases to find in context (* = any letters); None: each article's key terms",
            "FRAMES": "frame ids the findings follow; None: the frames coding the most sentences",
            "ACTORS": "actors whose quoted voices the findings follow; None: the most quoted",
            "GROUP": "metadata column to compare groups by (outlet, country, date:month, ...); None: articles",
            "CODER": "frame coding: study (the dictionary and the learned model combined) or dictionary (alone)"}


def study_notebooks(folder: Path = config.NOTEBOOKS) -> list[Path]:
    """The study's own notebooks (`NOTEBOOKS`), in reading order; other notebooks in the folder (a JupyterLab
    copy, a user's scratch notebook) are never part of a run."""
    return [folder / f"{name}.ipynb" for name in NOTEBOOKS]


def study_parameters(queries: list[str] | None = None, frames: list[str] | None = None,
                     actors: list[str] | None = None, group: str | None = None, *, study: str | None = None,
                     seeds: bool = False) -> dict:
    """The questions a run passes to the notebooks (QUERIES, FRAMES, ACTORS, GROUP; None: from the articles):
    those given on the command line, else those of the study file `study`, else, for the seed study (`seeds`),
    those of `config.SEED_STUDY`."""
    path = study or (config.SEED_STUDY if seeds else None)
    saved = read_study_file(path) if path else {}
    given = {"queries": queries, "frames": frames, "actors": actors, "group": group}
    return {name: given[key] if given[key] is not None else saved.get(key)
            for name, key in zip(QUESTIONS, ("queries", "frames", "actors", "group"))}


def article_paths(patterns: list[str] | None, questions: dict | None = None) -> list[str]:
    """Absolute paths of the articles named by `patterns` (default: the seeds), after loading them once and
    checking the run's `questions` (see `study_parameters`) against them, so that bad input fails here, with one
    line, before any notebook starts. Load warnings are printed."""
    patterns = patterns or config.DEFAULT_ARTICLES
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus(patterns)
    for note in caught:
        print(f"warning: {note.message}", file=sys.stderr)
    if questions:
        check_questions(corpus, questions)
    return [str(path) for path in expand_paths(patterns)]


def check_questions(corpus, questions: dict) -> None:
    """Raise InputError if a given frame, actor or grouping does not fit the dictionaries or the articles."""
    from analysis.actors import load_actors
    from analysis.frames import load_frames

    check_names("frame", questions.get("FRAMES") or [], [f.id for f in load_frames()])
    check_names("actor", questions.get("ACTORS") or [], [a.name for a in load_actors()])
    if questions.get("GROUP"):
        groups = article_groups(corpus.articles, questions["GROUP"]).unique()
        if len(groups) < 2:
            raise InputError(f"group {questions['GROUP']!r}: every article falls in one group ({groups[0]}); "
                             f"comparing groups needs two or more")
    for query in questions.get("QUERIES") or []:
        try:
            query_patterns(query)
        except ValueError as error:
            raise InputError(f"--query: {error}") from None


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
    """Execute `source` into `target` with papermill (working folder `notebooks/`); return seconds taken. Raises
    KernelNotStarted for an error before the kernel answered (nbclient calls `on_notebook_start` once the kernel
    client is ready; before that, a kernel that died or did not answer in time is a bare RuntimeError)."""
    import papermill  # notebook libraries load only when a run needs them (`score` imports this module too)

    started, start = [], time.perf_counter()
    try:
        papermill.execute_notebook(str(source), str(target), parameters=parameters or {}, cwd=str(config.NOTEBOOKS),
                                   kernel_name="python3", progress_bar=False, log_output=False,
                                   start_timeout=KERNEL_START, extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                                   on_notebook_start=lambda notebook: started.append(True))
    except RuntimeError as error:
        if started:
            raise
        raise KernelNotStarted(str(error)) from error
    return time.perf_counter() - start


def reads_tables(notebook: Path) -> bool:
    """True if `notebook`'s metadata says it reads the tables other notebooks write (`"study": {"reads":
    "tables"}`), so that it must run after them."""
    import nbformat

    return nbformat.read(notebook, as_version=4).metadata.get("study", {}).get("reads") == "tables"


def parameters_source(articles: list[str], out: str, questions: dict | None = None) -> str:
    """The source of a notebook's first cell (tagged 'parameters') for the articles `articles`, output folder
    `out` (relative paths are from the repository root) and the study's `questions` (QUERIES, FRAMES, ACTORS,
    GROUP; missing ones None; and CODER, the frame coding, 'study' if missing)."""
    values = {"ARTICLES": articles, "OUT": out, **{name: (questions or {}).get(name) for name in QUESTIONS},
              "CODER": (questions or {}).get("CODER") or "study"}
    return "\n".join(f"{name} = {python_literal(value)}  # {COMMENTS[name]}" if name in ("ARTICLES", "OUT") else
                     f"# {COMMENTS[name]}\n{name} = {python_literal(value)}" for name, value in values.items())


def python_literal(value) -> str:
    """`value` (None, a string or a list of strings) as Python source."""
    return "None" if value is None else json.dumps(value, ensure_ascii=False)


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
    code[0].source = parameters_source(shown["ARTICLES"], shown["OUT"], shown)
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
        replace_outputs(staging, out, OUTPUTS + (FINDINGS, EXPLORER))
        return
    for notebook in (staging / "notebooks").glob("*.ipynb"):
        os.replace(notebook, out / "notebooks" / notebook.name)
    replace_outputs(staging, out, ("figures", "tables", EXPLORER))
    from analysis.findings import write_findings  # matplotlib loads only for a run (`score` imports this module)

    write_findings(out, readme=out / "README.md")


class NotebookFailed(Exception):
    """A notebook raised an error; the message names the notebook and the failing cell."""


class KernelNotStarted(Exception):
    """A notebook's kernel stopped, or did not answer, before it started the notebook."""


def from_cwd(patterns: list[str]) -> list[str]:
    """`patterns` (paths or globs) with relative ones made absolute from the current working folder, as a
    shell user means them (notebook parameters, in contrast, are relative to the repository root)."""
    return [p if Path(p).expanduser().is_absolute() else str(Path.cwd() / p) for p in map(str, patterns)]


def run_study(articles: list[str] | None = None, out: str | None = None, *, questions: dict | None = None,
              coder: str = "study", echo=print) -> Path:
    """Execute every study notebook on `articles` (paths or globs, relative ones from the current working
    folder; default the seeds), writing to `out` (default: the repository, in place), with the study's
    `questions` (QUERIES, FRAMES, ACTORS, GROUP, see `study_parameters`; default: the seed study's own for the
    seeds, else all from the articles), frames coded by the `coder` named (the notebooks' CODER: 'study', the
    dictionary and the learned model combined, or 'dictionary', the dictionary alone). Return the output folder.
    Raises InputError for bad input and NotebookFailed when a notebook fails (outputs of earlier runs are then
    left as they were)."""
    if coder not in CODERS:
        raise InputError(f"--coder {coder}: choose one of {', '.join(CODERS)}")
    out_dir = Path(out).resolve() if out else config.ROOT
    questions = {**(questions if questions is not None else study_parameters(seeds=not articles)), "CODER": coder}
    paths = article_paths(from_cwd(articles) if articles else None, questions)
    if out_dir == config.ROOT and paths != [str(p) for p in expand_paths(config.DEFAULT_ARTICLES)]:
        raise InputError(f"{out_dir}: is the repository, which holds the seed study; write a study of other "
                         "articles to a folder of its own (--out runs/NAME)")
    with output_folder(out_dir, OUTPUTS + (FINDINGS, EXPLORER), "run") as staging:
        _run_into(staging, paths, articles, out, questions, echo)
        move_into_place(staging, out_dir)
    return out_dir


def _run_into(staging: Path, paths: list[str], articles: list[str] | None, out: str | None, questions: dict,
              echo) -> None:
    """Execute all notebooks into `staging` (those that read only the articles `JOBS` at a time, then those that
    read the tables), each followed by its HTML copy; then write the figure index, the findings and the explorer
    page (`explorer.html`, from the tables) there. What
    the kernels write to their own stderr goes to `staging/kernel.log` (see `stderr_to`)."""
    for name in OUTPUTS:
        (staging / name).mkdir()
    notebooks = study_notebooks()
    shown = {"ARTICLES": from_cwd(articles) if articles else list(config.DEFAULT_ARTICLES),
             "OUT": str(Path(out).resolve()) if out else ".", **questions}
    parameters = {"ARTICLES": paths, "OUT": str(staging), **questions}
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
    write_explorer(staging)


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
    except (DeadKernelError, KernelNotStarted) as error:
        if shutil.disk_usage(staging).free < DISK_LOW:  # a kernel cannot even write its log on a full disk
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(staging)) from None
        what = "stopped mid-run" if isinstance(error, DeadKernelError) else "failed to start"
        raise NotebookFailed(f"notebooks/{source.name}: the Python kernel {what} "
                             f"(its last message: {last_line(kernel_log) or 'none'})") from None
    with writing(target):
        nb = tidy_notebook(target, shown)
    with writing(html_copy):
        export_html(nb, html_copy)
    return seconds
