"""The study run: every notebook executes, outputs are complete and deterministic, the committed outputs are
current, and the command line handles bad input with one line."""
import errno
import os
import re
import shutil
import subprocess
import sys

import nbformat
import papermill
from nbclient.exceptions import DeadKernelError
import pytest

from analysis import config
from analysis.figures import figure_entries
from analysis.outputs import MARKER
from analysis.errors import InputError
from analysis.run import (NOTEBOOKS, KernelNotStarted, NotebookFailed, execute_notebook, joined_streams, last_line,
                          parameters_source, reads_tables, run_study, stderr_to, study_notebooks, study_parameters)


def cli(*args, cwd=config.ROOT):
    """Run `python -m analysis ARGS`; return the completed process (text output)."""
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=600)


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def assert_in_order_without_errors(path):
    cells = code_cells(path)
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1)), path
    errors = [o for c in cells for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{path}: {errors[0].ename}: {errors[0].evalue}"


def test_every_notebook_executes_in_order_without_errors(study_run):
    assert study_notebooks(), "no notebooks found"
    for notebook in study_notebooks():
        assert_in_order_without_errors(study_run / "notebooks" / notebook.name)
        assert (study_run / "html" / f"{notebook.stem}.html").stat().st_size > 10_000


def test_html_copies_embed_their_images_and_load_nothing_from_the_network(study_run):
    for page in (study_run / "html").glob("*.html"):
        body = page.read_text(encoding="utf-8")
        assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?(https?:)?//""", body), page.name
    assert 'src="data:image/png;base64,' in (study_run / "html" / "05_findings.html").read_text(encoding="utf-8")


def test_committed_notebooks_are_rendered_in_order_without_errors():
    for notebook in study_notebooks():
        assert_in_order_without_errors(notebook)
        first = code_cells(notebook)[0]
        assert "parameters" in first.metadata.get("tags", []), f"{notebook}: first cell is not tagged parameters"


def test_the_first_cell_alone_holds_the_parameters_a_notebook_ran_with(study_run):
    default = parameters_source(config.DEFAULT_ARTICLES, ".", study_parameters(seeds=True))
    assert default.splitlines()[0].startswith('ARTICLES = ["seeds/*.txt"]  # paths, folders or globs')
    assert 'QUERIES = ["invisible hand", "de-escalation", "peace talks", "Bakhmut", "escalat*"]' in default  # seeds/study.yaml
    assert "GROUP = None" in default
    for notebook in study_notebooks():
        assert code_cells(notebook)[0].source == default  # what a JupyterLab user edits (make lab)
        ran = nbformat.read(study_run / "notebooks" / notebook.name, as_version=4).cells
        assert not any("injected-parameters" in c.metadata.get("tags", []) for c in ran)
        namespace: dict = {}
        exec(ran[0].source, namespace)  # the executed notebook reruns as it ran, whatever the working folder
        assert namespace["ARTICLES"] == config.DEFAULT_ARTICLES and namespace["OUT"] == str(study_run)
        assert namespace["FRAMES"] == ["invisible_hand", "de_escalation", "battlefield"] and namespace["ACTORS"] == ["China"]


def test_every_figure_has_svg_data_caption_and_index_entry(study_run):
    figures = study_run / "figures"
    entries = figure_entries(study_run)
    pngs = sorted(p.stem for p in figures.glob("*.png"))
    assert pngs and pngs == sorted(entries["name"])
    for name in pngs:
        assert (figures / f"{name}.svg").exists() and (figures / "data" / f"{name}.csv").exists()
    index = (figures / "README.md").read_text()
    assert all(f"({name}.png)" in index for name in pngs)


def relative_files(folder):
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("folder", ["tables", "figures"])
def test_committed_outputs_are_exactly_what_the_study_makes(study_run, folder):
    committed, fresh = config.ROOT / folder, study_run / folder
    assert relative_files(committed) == relative_files(fresh), f"{folder}/ differs in its files: rerun make study"
    changed = [str(p) for p in relative_files(fresh) if (committed / p).read_bytes() != (fresh / p).read_bytes()]
    assert not changed, f"{folder}/ is stale, rerun `make study`: {changed[:5]}"


def test_the_committed_explorer_page_is_the_one_the_study_makes(study_run):
    fresh = (study_run / "explorer.html").read_bytes()
    assert (config.ROOT / "explorer.html").read_bytes() == fresh, "explorer.html is stale: rerun make study"


def test_run_into_a_folder_marks_it_and_leaves_the_seed_study_alone(study_run):
    assert (study_run / MARKER).exists()
    assert {p.name for p in study_run.iterdir()} == {MARKER, "FINDINGS.md", "notebooks", "figures", "tables", "html",
                                                     "explorer.html"}


def test_a_failed_run_leaves_the_earlier_outputs_intact(tmp_path, monkeypatch):
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    (out / MARKER).write_text("")
    (out / "tables" / "articles.csv").write_text("earlier run\n")

    def fail(source, target, parameters):
        raise papermill.PapermillExecutionError(3, 2, "x = 1/0", "ZeroDivisionError", "division by zero", [])

    monkeypatch.setattr("analysis.run.execute_notebook", fail)
    with pytest.raises(NotebookFailed, match=r"notebooks/01_corpus.ipynb failed in cell 3 .*ZeroDivisionError"):
        run_study(None, str(out), echo=lambda *a, **k: None)
    assert (out / "tables" / "articles.csv").read_text() == "earlier run\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # the staging folder is gone


def test_a_dead_kernel_is_one_line_naming_the_notebook_and_its_last_message(tmp_path, monkeypatch):
    def die(source, target, parameters):  # kernels append to the run's one kernel log, as processes do to stderr
        with open(target.parent.parent / "kernel.log", "a") as log:
            log.write("Assertion failed: pfd.revents & POLLIN (src/signaler.cpp:238)\n\n")
        raise DeadKernelError("Kernel died")

    monkeypatch.setattr("analysis.run.execute_notebook", die)
    with pytest.raises(NotebookFailed) as failed:
        run_study(None, str(tmp_path / "out"), echo=lambda *a, **k: None)
    assert str(failed.value) == ("notebooks/01_corpus.ipynb: the Python kernel stopped mid-run "
                                 "(its last message: Assertion failed: pfd.revents & POLLIN (src/signaler.cpp:238))")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("free, expected", [(2**40, NotebookFailed), (2**20, OSError)])
def test_a_kernel_that_dies_starting_is_one_line_and_a_full_disk_says_so(tmp_path, monkeypatch, free, expected):
    def die(source, target, parameters):
        with open(target.parent.parent / "kernel.log", "a") as log:
            log.write("ImportError: libzmq.so.5: cannot open shared object file\n")
        raise KernelNotStarted("Kernel died before replying to kernel_info")

    monkeypatch.setattr("analysis.run.execute_notebook", die)
    monkeypatch.setattr("analysis.run.shutil.disk_usage", lambda path: shutil._ntuple_diskusage(2**41, 0, free))
    with pytest.raises(expected) as failed:
        run_study(None, str(tmp_path / "out"), echo=lambda *a, **k: None)
    assert str(failed.value) == ("notebooks/01_corpus.ipynb: the Python kernel failed to start "
                                 "(its last message: ImportError: libzmq.so.5: cannot open shared object file)") \
        if expected is NotebookFailed else \
        failed.value.errno == errno.ENOSPC and failed.value.strerror == "No space left on device"
    assert list(tmp_path.iterdir()) == []


def one_cell_notebook(path, code: str):
    """Write a notebook of one code cell `code` to `path`; return the path."""
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)],
                                            metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                     "display_name": "Python 3"}}), path)
    return path


def test_a_kernel_that_dies_before_it_answers_is_told_from_one_that_dies_mid_run(tmp_path, monkeypatch):
    """Real kernels: one whose start-up exits (a sitecustomize that stops Python) raises KernelNotStarted, one
    that exits in a cell nbclient's DeadKernelError, so the run's line says which (nbclient marks the start with
    its `on_notebook_start` hook, not with an error message)."""
    source = one_cell_notebook(tmp_path / "exits.ipynb", "import os\nos._exit(3)")
    with pytest.raises(DeadKernelError):
        execute_notebook(source, tmp_path / "run.ipynb", None)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text("import os\nos._exit(3)\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "site"))
    with pytest.raises(KernelNotStarted, match="Kernel died before replying"):
        execute_notebook(one_cell_notebook(tmp_path / "fine.ipynb", "1 + 1"), tmp_path / "run2.ipynb", None)


def test_stderr_to_sends_what_child_processes_write_to_the_log_and_restores_stderr(tmp_path, capfd):
    log = tmp_path / "kernel.log"
    with stderr_to(log):
        subprocess.run([sys.executable, "-c", "import os; os.write(2, b'kernel noise\\n')"], check=True)
    os.write(2, b"after\n")
    assert log.read_text() == "kernel noise\n"
    assert capfd.readouterr().err == "after\n"
    assert last_line(log) == "kernel noise" and last_line(tmp_path / "missing.log") == ""


def written(folder, name, content):
    """Path of file `name` in `folder`, written with bytes `content`."""
    (folder / name).write_bytes(content)
    return folder / name


@pytest.mark.parametrize("make_input, problem", [
    (lambda d: d / "missing.txt", "no such file"),
    (lambda d: str(d / "*.txt"), "matches no files"),
    (lambda d: written(d, "empty.txt", b""), "the file is empty"),
    (lambda d: written(d, "bin.txt", b"\x00\x01\x02binary"), "binary"),
    (lambda d: d, "no .txt files"),
    (lambda d: written(d, "articles_table.csv", b"id,body\n1,Talks resumed.\n"), "is a table of articles"),
])
def test_bad_articles_get_one_clear_line_and_a_nonzero_exit(tmp_path, make_input, problem):
    target = make_input(tmp_path)
    result = cli("run", "--articles", target, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and problem in result.stderr and "Traceback" not in result.stderr
    assert str(target) in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_out_folder_with_user_files_is_refused_and_untouched(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = cli("run", "--out", tmp_path)
    assert result.returncode == 2 and "not written by a study run" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"] and (tmp_path / "notes.txt").read_text() == "mine"


def test_out_inside_seeds_is_refused():
    result = cli("run", "--out", config.SEEDS / "out")
    assert result.returncode == 2 and "seeds/" in result.stderr and not (config.SEEDS / "out").exists()


def test_joined_streams_joins_consecutive_pieces_of_one_stream_only():
    out = nbformat.v4.new_output
    outputs = [out("stream", name="stdout", text="a\n"), out("stream", name="stdout", text="b\n"),
               out("stream", name="stderr", text="w\n"), out("display_data", data={"text/plain": "x"}),
               out("stream", name="stdout", text="c\n")]
    joined = joined_streams(outputs)
    assert [(o.output_type, o.get("name"), o.get("text")) for o in joined] == [
        ("stream", "stdout", "a\nb\n"), ("stream", "stderr", "w\n"), ("display_data", None, None),
        ("stream", "stdout", "c\n")]


def test_the_findings_notebook_runs_after_the_notebooks_whose_tables_it_reads():
    readers = [notebook.name for notebook in study_notebooks() if reads_tables(notebook)]
    assert readers == ["05_findings.ipynb"]


def test_a_run_uses_only_the_study_s_own_notebooks(tmp_path, monkeypatch):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in NOTEBOOKS + ("02_vocabulary-Copy1", "06_my_scratch"):
        (folder / f"{name}.ipynb").write_text("{}")
    assert [p.stem for p in study_notebooks(folder)] == list(NOTEBOOKS)  # JupyterLab's copy is not part of it
    assert [p.stem for p in study_notebooks()] == list(NOTEBOOKS) and all(p.exists() for p in study_notebooks())


def test_questions_come_from_the_command_line_then_a_study_file_then_the_seed_study(tmp_path):
    study = tmp_path / "study.yaml"
    study.write_text("queries: [grain, 'port*']\nframes: [human_cost]\ngroup: outlet\n")
    assert study_parameters(["energy"], None, None, None, study=str(study)) == {
        "QUERIES": ["energy"], "FRAMES": ["human_cost"], "ACTORS": None, "GROUP": "outlet"}
    assert study_parameters() == {"QUERIES": None, "FRAMES": None, "ACTORS": None, "GROUP": None}
    assert study_parameters(seeds=True)["ACTORS"] == ["China"]
    study.write_text("queries: grain\n")
    with pytest.raises(InputError, match="'queries' must be a list"):
        study_parameters(study=str(study))


@pytest.mark.parametrize("args, message", [
    (["--frame", "peace"], "unknown frame 'peace'"),
    (["--actor", "Atlantis"], "unknown actor 'Atlantis'"),
    (["--group", "region"], "no metadata column 'region'"),
    (["--group", "country"], "every article falls in one group (GB); comparing groups needs two or more"),
    (["--query", " , "], "--query: the query ' , ' holds no word"),
])
def test_bad_questions_get_one_line_before_any_notebook_runs(tmp_path, args, message):
    written(tmp_path, "a.txt", b"date: 2022-01-25\ncountry: GB\n\nTalks resumed in Minsk on Monday.")
    result = cli("run", "--articles", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out"), *args)
    assert result.returncode == 2 and result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


def test_a_query_that_matches_nothing_says_so_and_makes_no_figure(tmp_path):
    from analysis.figures import write_figure_index

    target = tmp_path / "02.ipynb"
    execute_notebook(config.NOTEBOOKS / "02_vocabulary.ipynb", target,
                     {"ARTICLES": [str(p) for p in config.SEEDS.glob("*.txt")], "OUT": str(tmp_path),
                      "QUERIES": ["zyzzyva", "qwerty*"]})
    printed = "".join(o.get("text", "") for c in nbformat.read(target, as_version=4).cells if c.cell_type == "code"
                      for o in c.outputs)
    assert "0 lines; queries found in the articles: none; not found: zyzzyva, qwerty*" in printed
    assert "None of the queries occurs in the articles, so there is no dispersion chart." in printed
    assert not (tmp_path / "figures" / "dispersion.png").exists()
    assert "dispersion" not in write_figure_index(tmp_path).read_text()


def test_a_grouped_run_captions_its_group_keyness_chart_with_groups(tmp_path):
    import json

    for k, seed in enumerate(sorted(config.SEEDS.glob("*.txt"))):
        (tmp_path / f"a{k}.txt").write_text(f"title: A{k}\ncountry: {'AB'[k]}\n\n" + seed.read_text(encoding="utf-8"))
    execute_notebook(config.NOTEBOOKS / "02_vocabulary.ipynb", tmp_path / "02.ipynb",
                     {"ARTICLES": [str(tmp_path / "*.txt")], "OUT": str(tmp_path), "GROUP": "country"})
    caption = json.loads((tmp_path / "figures" / "data" / "group_keyness_words.json").read_text())["caption"]
    assert "terms relatively more frequent in a group than in the rest of the corpus (with two groups, the first " \
           "group's to the right" in caption and "article" not in caption.split("(country)")[1]


def test_the_coder_reaches_every_notebook_as_its_coder_parameter(monkeypatch, tmp_path):
    from analysis import __main__ as command

    called = {}
    monkeypatch.setattr(command, "run_study", lambda *args, **kwargs: called.update(kwargs) or tmp_path)
    assert command.main(["run", "--coder", "dictionary"]) == 0 and called["coder"] == "dictionary"
    assert command.main(["run"]) == 0 and called["coder"] == "study"
    namespace: dict = {}
    exec(parameters_source(["a.txt"], "out", {"CODER": "dictionary"}), namespace)
    assert namespace["CODER"] == "dictionary" and namespace["GROUP"] is None
    exec(parameters_source(["a.txt"], "out", {}), namespace)
    assert namespace["CODER"] == "study"
    with pytest.raises(InputError, match="--coder model: choose one of study, dictionary"):
        run_study(out=str(tmp_path / "out"), coder="model")
    assert not (tmp_path / "out").exists()
