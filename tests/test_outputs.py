"""Output folders: a run replaces or deletes only the files a run wrote, refuses to overwrite what a user wrote or
edited, and says so in one line naming the file."""
import json

import pytest

from analysis import config
from analysis.errors import InputError
from analysis.outputs import MARKER, check_out_folder, file_stamp, read_manifest, replace_outputs, staged_files
from tests.test_score import cli


def staged(folder, files):
    """`folder` with text files {relative path: content} written under it."""
    for path, content in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(content)
    return folder


def a_run(tmp_path, files, name="staging"):
    """Move a staging folder holding `files` into tmp_path/out as a run does; return the out folder."""
    out = tmp_path / "out"
    replace_outputs(staged(tmp_path / name, files), out, ("tables", "figures", "FINDINGS.md"))
    return out


def test_staged_files_lists_files_under_folders_and_single_files(tmp_path):
    staged(tmp_path, {"tables/a.csv": "", "figures/data/b.csv": "", "FINDINGS.md": "", "other/c": ""})
    assert staged_files(tmp_path, ("tables", "figures", "FINDINGS.md")) == [
        "tables/a.csv", "figures/data/b.csv", "FINDINGS.md"]


def test_the_manifest_lists_each_file_written_with_its_size_and_time(tmp_path):
    out = a_run(tmp_path, {"tables/a.csv": "abc", "FINDINGS.md": "x"})
    manifest = read_manifest(out)
    assert sorted(manifest) == ["FINDINGS.md", "tables/a.csv"]
    assert manifest["tables/a.csv"] == file_stamp(out / "tables" / "a.csv") and manifest["tables/a.csv"][0] == 3
    assert json.loads((out / MARKER).read_text())["note"].startswith("Written by `framing`")


def test_a_rerun_replaces_the_runs_files_deletes_its_stale_ones_and_keeps_the_users(tmp_path):
    out = a_run(tmp_path, {"tables/a.csv": "1", "figures/old.png": "1", "figures/data/old.csv": "1"})
    staged(out, {"tables/mine.csv": "my table", "figures/my_plot.png": "mine", "notes/n.txt": "mine"})
    a_run(tmp_path, {"tables/a.csv": "2", "tables/b.csv": "2"}, name="staging2")
    assert (out / "tables" / "a.csv").read_text() == "2" and (out / "tables" / "b.csv").read_text() == "2"
    assert not (out / "figures" / "old.png").exists() and not (out / "figures" / "data").exists()
    assert {p: (out / p).read_text() for p in ("tables/mine.csv", "figures/my_plot.png", "notes/n.txt")} == {
        "tables/mine.csv": "my table", "figures/my_plot.png": "mine", "notes/n.txt": "mine"}
    assert sorted(read_manifest(out)) == ["tables/a.csv", "tables/b.csv"]


def test_an_edited_output_stops_the_next_run_before_it_starts_and_is_kept(tmp_path):
    out = a_run(tmp_path, {"tables/a.csv": "run", "FINDINGS.md": "run"})
    (out / "FINDINGS.md").write_text("my edited findings")
    with pytest.raises(InputError, match=r"out/FINDINGS.md: changed since a study run wrote it; move it out"):
        check_out_folder(out, ("tables", "FINDINGS.md"), "run")
    check_out_folder(out, ("tables",), "run")  # a run that writes only tables/ may go ahead
    with pytest.raises(InputError, match="FINDINGS.md: changed since"):
        a_run(tmp_path, {"tables/a.csv": "new", "FINDINGS.md": "new"}, name="staging2")
    assert (out / "FINDINGS.md").read_text() == "my edited findings" and (out / "tables/a.csv").read_text() == "run"


def test_a_users_file_where_an_output_goes_is_never_replaced(tmp_path):
    out = a_run(tmp_path, {"tables/a.csv": "run"})
    (out / "tables" / "b.csv").write_text("mine")
    with pytest.raises(InputError, match=r"tables/b.csv: was not written by a study run"):
        a_run(tmp_path, {"tables/a.csv": "new", "tables/b.csv": "new"}, name="staging2")
    assert (out / "tables" / "b.csv").read_text() == "mine" and (out / "tables" / "a.csv").read_text() == "run"


def test_an_earlier_versions_marker_lets_outputs_be_replaced_by_name_and_deletes_nothing(tmp_path):
    out = staged(tmp_path / "out", {MARKER: "Written by `python -m analysis run`; safe to replace with a new run.\n",
                                    "tables/a.csv": "old", "tables/mine.csv": "mine"})
    assert read_manifest(out) is None
    check_out_folder(out, ("tables",), "run")
    a_run(tmp_path, {"tables/a.csv": "new"})
    assert (out / "tables" / "a.csv").read_text() == "new" and (out / "tables" / "mine.csv").read_text() == "mine"
    assert sorted(read_manifest(out)) == ["tables/a.csv"]


def test_the_repository_manifest_lists_exactly_the_committed_figures_tables_and_explorer_page():
    files = read_manifest(config.ROOT)
    committed = sorted(["explorer.html"] + [p.relative_to(config.ROOT).as_posix() for folder in ("figures", "tables")
                                            for p in (config.ROOT / folder).rglob("*") if p.is_file()])
    assert sorted(files) == committed and set(files.values()) == {None}


def test_a_score_rerun_keeps_the_users_files_and_refuses_an_edited_table(tmp_path):
    out = tmp_path / "out"
    command = ["score", "--articles", "seeds/*.txt", "--out", out]
    assert cli(*command).returncode == 0
    (out / "tables" / "my_notes.csv").write_text("mine")
    done = cli(*command)
    assert done.returncode == 0, done.stderr
    assert (out / "tables" / "my_notes.csv").read_text() == "mine"
    with open(out / "tables" / "keyness.csv", "a") as table:
        table.write("my row\n")
    edited = (out / "tables" / "keyness.csv").read_bytes()
    done = cli(*command)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert f"{out / 'tables' / 'keyness.csv'}: changed since a study run wrote it" in done.stderr
    assert (out / "tables" / "keyness.csv").read_bytes() == edited


def test_a_failed_score_into_a_new_folder_leaves_no_folder(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    command = ["score", "--articles", tmp_path / "empty.txt", "--out", tmp_path / "out"]
    done = cli(*command)
    assert done.returncode == 2 and "the file is empty" in done.stderr
    assert not (tmp_path / "out").exists()


def test_only_the_caches_own_entries_are_removed(tmp_path):
    from analysis.score import analysis_version, cache_folder

    stray = staged(tmp_path, {"cache/notes.txt": "mine", "cache/0123456789abcdef/x.pkl": "old version",
                              "cache/keep/y": "mine"})
    folder = cache_folder(stray)
    assert folder.name == analysis_version() and folder.is_dir()
    assert sorted(p.relative_to(stray / "cache").as_posix() for p in (stray / "cache").rglob("*") if p.is_file()) == [
        "keep/y", "notes.txt"]
