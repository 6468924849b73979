"""Output folders: where a run may write, and which files it may replace or delete.

A run (`framing run` or `framing score`) writes into a folder only if it is new, empty, or an earlier run's:
one holding the marker file `.study-run`. The marker is the folder's manifest, a JSON object whose "files" map
each file a run wrote (path relative to the folder, with `/`) to its size in bytes and modification time in
nanoseconds when it was written. A later run

- refuses to start, naming the file, if a listed file was changed since (a user edited it), and refuses to move
  its outputs into place if a file it did not write stands where one of its outputs goes;
- replaces the listed files it writes again, deletes the listed files it no longer writes (and folders they
  leave empty), and leaves every unlisted file alone.

So nothing a user wrote into an output folder is overwritten or deleted. In the repository root (the seed study,
run in place) the manifest lists paths without size or time: git keeps the history there and a checkout changes
modification times, so listed files are replaced whatever their state; the notebooks, the study's sources, are
never listed. A marker without a manifest (written by an earlier version) lists nothing: outputs of the same name
are replaced and nothing is deleted.

Both commands write through `output_folder`: it holds a lock on the folder (`.study-run.lock`; a second run into
the same folder refuses with one line), removes staging folders an interrupted run left (inside the folder, and
beside it where earlier versions staged a run), and gives the run a staging folder inside the output folder, on
the same file system, so that `replace_outputs` moves each complete file into place by renaming it: a listed file
is never written over in place, and a run that fails (disk full, a notebook error, Ctrl-C) before the renames
leaves the earlier outputs as they were. A folder written by one command is refused by the other (`run` and
`score` write different tables, and either would delete the other's).
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from analysis import config
from analysis.errors import InputError, writing

MARKER = ".study-run"
LOCK = ".study-run.lock"
STAGING = ".staging-"
STAGING_NAME = re.compile(r"\.staging-[\w]{8}")  # tempfile.mkdtemp(prefix=STAGING)
RUN_STAGING = {"notebooks", "figures", "tables", "html", "kernel.log", "FINDINGS.md"}  # what `run` stages
NOTE = ("Written by `framing` (the study's command): the files listed were written by a study run. A new run "
        "replaces or deletes only these, and only if they are unchanged; every other file is left alone.")

Manifest = dict[str, list[int] | None]  # relative path -> [size, mtime_ns], or None in the repository root


def read_manifest(out: Path) -> Manifest | None:
    """The files an earlier run wrote to `out`, from its marker: empty if there is no marker, None if the marker
    holds no manifest (an earlier version's)."""
    if not (out / MARKER).is_file():
        return {}
    try:
        files = json.loads((out / MARKER).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return {str(path): stamp for path, stamp in files.items()} if isinstance(files, dict) else None


def write_manifest(out: Path, files: Manifest) -> None:
    """Write `out`'s marker listing `files`, one file a line, sorted (an unchanged run writes unchanged bytes);
    written beside it and renamed, so a full disk leaves the old marker whole."""
    rows = ",\n".join(f"  {json.dumps(path, ensure_ascii=False)}: {json.dumps(stamp)}"
                      for path, stamp in sorted(files.items()))
    listing = f"{{\n{rows}\n }}" if rows else "{}"
    replace_text(out / MARKER, f'{{\n "note": {json.dumps(NOTE)},\n "files": {listing}\n}}\n')


def replace_text(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` through a temporary file beside it renamed over it: `path` is either its old
    or its new self, never cut short. Raises OSError naming `path`."""
    part = path.with_name(f".{path.name}.part")
    try:
        with writing(path):
            part.write_text(text, encoding="utf-8")
            os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def file_stamp(path: Path) -> list[int]:
    """[size in bytes, modification time in ns] of `path`: what tells whether a file changed since a run."""
    status = path.stat()
    return [status.st_size, status.st_mtime_ns]


def listed_in(files: Manifest | None, parts: tuple[str, ...]) -> Manifest:
    """The entries of `files` under the folders or files `parts` (none for an earlier version's marker)."""
    return {path: stamp for path, stamp in (files or {}).items() if path.split("/")[0] in parts}


def edited_files(out: Path, files: Manifest) -> list[str]:
    """The listed files of `out` that exist and differ from how the run left them (size or modification time)."""
    return [path for path, stamp in files.items()
            if stamp is not None and (out / path).is_file() and file_stamp(out / path) != stamp]


def written_by(out: Path, files: Manifest | None) -> str | None:
    """Which command wrote the output folder `out` whose manifest lists `files`: "run" (it lists notebooks or
    HTML copies), "score" (it holds score's cache), or None (nothing listed yet, or the repository root)."""
    if any(path.split("/")[0] in ("notebooks", "html") for path in files or {}):
        return "run"
    return "score" if (out / "cache").is_dir() and files else None


def check_out_folder(out: Path, parts: tuple[str, ...], command: str) -> None:
    """Raise InputError (one line) unless `command` ("run" or "score") writing `parts` (folders or files) may
    write to `out`: the repository root, a missing or empty folder, or an earlier run's folder of the same command
    whose listed files under `parts` are unchanged; never `seeds/`."""
    if out == config.ROOT:
        return
    if out == config.SEEDS or config.SEEDS in out.parents:
        raise InputError(f"{out}: is inside seeds/, which is never written to; choose another --out folder")
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is a file; choose a folder for --out")
    if out.exists() and any(p.name != LOCK for p in out.iterdir()) and not (out / MARKER).exists():
        raise InputError(f"{out}: exists and holds files not written by a study run; choose a new or empty folder")
    files = read_manifest(out)
    other = written_by(out, files)
    if other not in (None, command):
        raise InputError(f"{out}: {mixed_commands(other, command, files)}; choose another --out folder")
    edited = edited_files(out, listed_in(files, parts))
    if edited:
        raise InputError(f"{out / edited[0]}: changed since a study run wrote it; move it out of {out} (or choose "
                         "a new --out folder) so that a new run does not overwrite it")


def mixed_commands(other: str, command: str, files: Manifest | None) -> str:
    """Why `command` may not write into a folder `other` wrote (listing `files`): what it would lose."""
    tables = sorted(path for path in files or {} if path.startswith("tables/"))
    if other == "run":
        return (f"holds the notebooks, figures and {len(tables)} tables of `framing run`; `{command}` "
                "writes only a few of those tables and would delete the others")
    return (f"holds the {len(tables)} tables and cache of `framing score`; `{command}` would replace or "
            "delete those tables")


@contextlib.contextmanager
def output_folder(out: Path, parts: tuple[str, ...], command: str) -> Iterator[Path]:
    """The protocol every run follows to write `parts` into `out` (see the module docstring): check the folder,
    create it if new (marked as a run's folder), lock it, remove stale staging folders, and yield an empty
    staging folder inside it for the run to fill and hand to `replace_outputs`. On leaving, the staging folder is
    removed; if the run failed or was interrupted and created `out`, `out` is removed too. Raises InputError (one
    line) if another run holds the lock or the folder may not be written."""
    check_out_folder(out, parts, command)
    try:
        out.mkdir(parents=True)
        created = True
    except FileExistsError:
        created = False
    except OSError as error:
        raise InputError(f"{out}: cannot be created ({error.strerror})") from None
    try:
        with folder_lock(out):
            check_out_folder(out, parts, command)  # again, now that no other run can change it
            if not (out / MARKER).exists():
                write_manifest(out, {})
            remove_stale_staging(out)
            staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=out))
            try:
                yield staging
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except BaseException as error:
        if created and not isinstance(error, FolderLocked):  # everything in it is this run's
            shutil.rmtree(out, ignore_errors=True)
        raise


class FolderLocked(InputError):
    """Another run holds the output folder's lock."""


@contextlib.contextmanager
def folder_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder `out` (`flock` on `out/.study-run.lock`, released when the
    process ends, however it ends; the file is removed when the run ends); raise FolderLocked (one line, naming
    the other run's process) if another run holds it."""
    path = out / LOCK
    while True:
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise InputError(f"{path}: cannot be created ({error.strerror})") from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            holder = os.pread(descriptor, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(descriptor)
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            raise FolderLocked(f"{out}: another run (process {holder}) is writing to this folder; wait for it to "
                               "finish or choose another --out folder") from None
        if same_file(path, descriptor):
            break
        os.close(descriptor)  # locked a file the run before removed when it ended: lock the new one
    try:
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        path.unlink(missing_ok=True)  # still locked: a run that opened it meanwhile sees it is gone
        os.close(descriptor)


def same_file(path: Path, descriptor: int) -> bool:
    """True if `path` still names the file open as `descriptor`."""
    try:
        return os.stat(path).st_ino == os.fstat(descriptor).st_ino
    except FileNotFoundError:
        return False


def remove_stale_staging(out: Path) -> None:
    """Remove the staging folders interrupted runs left: every `.staging-*` folder in `out` (its lock is held, so
    none is live), and those beside `out` that hold only what `run` stages (where earlier versions staged)."""
    for stale in out.glob(f"{STAGING}*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
    if out == config.ROOT:
        return
    for stale in out.parent.glob(f"{STAGING}*"):
        if (STAGING_NAME.fullmatch(stale.name) and stale.is_dir() and not stale.is_symlink()
                and {p.name for p in stale.iterdir()} <= RUN_STAGING):
            shutil.rmtree(stale, ignore_errors=True)


def staged_files(staging: Path, parts: tuple[str, ...]) -> list[str]:
    """Relative paths (with `/`) of the files under `staging/<part>` for each folder or file name in `parts`."""
    found = []
    for part in parts:
        top = staging / part
        found += [part] if top.is_file() else [p.relative_to(staging).as_posix() for p in sorted(top.rglob("*"))
                                               if p.is_file()]
    return found


def replace_outputs(staging: Path, out: Path, parts: tuple[str, ...]) -> None:
    """Move the files under `staging/<part>` (folders or single files; `staging` inside `out`, see
    `output_folder`) to the same places in `out` by renaming them, replacing those an earlier run wrote there,
    delete the files it listed under `parts` that this run did not write, and update the manifest. Raises
    InputError, before anything is moved, if a listed file was edited meanwhile or a file the manifest does not
    list stands where an output goes (outside the repository root). The manifest is updated even if a rename
    fails midway, so it always lists how the files were left."""
    before = read_manifest(out)
    ours, new = listed_in(before, parts), staged_files(staging, parts)
    edited = edited_files(out, ours)
    by_name = out == config.ROOT or before is None  # outputs replaced by name, as an earlier version did
    foreign = [] if by_name else [p for p in new if (out / p).exists() and p not in ours]
    if edited or foreign:
        path, problem = (edited[0], "changed since a study run wrote it") if edited else (
            foreign[0], "was not written by a study run, and the run's output of that name would replace it")
        raise InputError(f"{out / path}: {problem}; move it out of {out}, or choose a new --out folder")
    stamps = {p: None if out == config.ROOT else file_stamp(staging / p) for p in new}  # a rename keeps them
    listed = {p: stamp for p, stamp in (before or {}).items()}
    try:
        for path in new:
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / path, out / path)
            listed[path] = stamps[path]
        for path in set(ours) - set(new):
            (out / path).unlink(missing_ok=True)
            listed.pop(path, None)
            remove_empty_folders((out / path).parent, out)
    finally:
        write_manifest(out, listed)


def remove_empty_folders(folder: Path, top: Path) -> None:
    """Remove `folder` and then its parents while they are empty, stopping below `top`."""
    while folder != top and top in folder.parents and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
