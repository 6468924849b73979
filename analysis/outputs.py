"""Output folders: where a run may write, and which files it may replace or delete.

A run (`python -m analysis run` or `score`) writes into a folder only if it is new, empty, or an earlier run's:
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
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from analysis import config
from analysis.errors import InputError

MARKER = ".study-run"
NOTE = ("Written by `python -m analysis`: the files listed were written by a study run. A new run replaces or "
        "deletes only these, and only if they are unchanged; every other file is left alone.")

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
    """Write `out`'s marker listing `files`, one file a line, sorted (an unchanged run writes unchanged bytes)."""
    rows = ",\n".join(f"  {json.dumps(path, ensure_ascii=False)}: {json.dumps(stamp)}"
                      for path, stamp in sorted(files.items()))
    listing = f"{{\n{rows}\n }}" if rows else "{}"
    (out / MARKER).write_text(f'{{\n "note": {json.dumps(NOTE)},\n "files": {listing}\n}}\n', encoding="utf-8")


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


def check_out_folder(out: Path, parts: tuple[str, ...]) -> None:
    """Raise InputError (one line) unless a run writing `parts` (folders or files) may write to `out`: the
    repository root, a missing or empty folder, or an earlier run's folder whose listed files under `parts` are
    unchanged; never `seeds/`."""
    if out == config.ROOT:
        return
    if out == config.SEEDS or config.SEEDS in out.parents:
        raise InputError(f"{out}: is inside seeds/, which is never written to; choose another --out folder")
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is a file; choose a folder for --out")
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise InputError(f"{out}: exists and holds files not written by a study run; choose a new or empty folder")
    edited = edited_files(out, listed_in(read_manifest(out), parts))
    if edited:
        raise InputError(f"{out / edited[0]}: changed since a study run wrote it; move it out of {out} (or choose "
                         "a new --out folder) so that a new run does not overwrite it")


def staged_files(staging: Path, parts: tuple[str, ...]) -> list[str]:
    """Relative paths (with `/`) of the files under `staging/<part>` for each folder or file name in `parts`."""
    found = []
    for part in parts:
        top = staging / part
        found += [part] if top.is_file() else [p.relative_to(staging).as_posix() for p in sorted(top.rglob("*"))
                                               if p.is_file()]
    return found


def replace_outputs(staging: Path, out: Path, parts: tuple[str, ...]) -> None:
    """Move the files under `staging/<part>` (folders or single files) to the same places in `out`, replacing
    those an earlier run wrote there, delete the files it listed under `parts` that this run did not write, and
    update the manifest. Raises InputError, before anything is moved, if a listed file was edited meanwhile or a
    file the manifest does not list stands where an output goes (outside the repository root)."""
    out.mkdir(parents=True, exist_ok=True)
    before = read_manifest(out)
    ours, new = listed_in(before, parts), staged_files(staging, parts)
    edited = edited_files(out, ours)
    by_name = out == config.ROOT or before is None  # outputs replaced by name, as an earlier version did
    foreign = [] if by_name else [p for p in new if (out / p).exists() and p not in ours]
    if edited or foreign:
        path, problem = (edited[0], "changed since a study run wrote it") if edited else (
            foreign[0], "was not written by a study run, and the run's output of that name would replace it")
        raise InputError(f"{out / path}: {problem}; move it out of {out}, or choose a new --out folder")
    for path in new:
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging / path), str(out / path))
    for path in set(ours) - set(new):
        (out / path).unlink(missing_ok=True)
        remove_empty_folders((out / path).parent, out)
    others = {p: stamp for p, stamp in (before or {}).items() if p not in ours}
    write_manifest(out, others | {p: None if out == config.ROOT else file_stamp(out / p) for p in new})


def remove_empty_folders(folder: Path, top: Path) -> None:
    """Remove `folder` and then its parents while they are empty, stopping below `top`."""
    while folder != top and top in folder.parents and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
