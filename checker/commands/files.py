"""Finding proposal files and checking them one by one, for every command that takes many.

One walk: folders are searched recursively for *.yaml / *.yml, hidden files and folders (.git,
.github) skipped, symlinked folders not followed (as Path.rglob). A file named on the command line
is always taken, whatever its name; a path that does not exist is kept, so the loader reports it.
What cannot be checked is still listed, so each becomes that file's input error (the loader says
why) and the rest of the folder is checked: a folder that cannot be read is listed itself, and so
are broken or looping links, unreadable files, pipes and devices by those names.

One loop: check_one loads, validates and evaluates a file, and turns bad input into an error
beside the others' results instead of stopping the run.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from checker.core.engine import Engine
from checker.core.errors import InputError
from checker.core.findings import Report
from checker.core.pipeline import check_loaded
from checker.core.validation import LoadedProposal, load_proposal

SUFFIXES = (".yaml", ".yml")


def _walk(folder: str) -> Iterator[tuple[str, bool]]:
    """(path, is a symlink) of every *.yaml / *.yml under a folder, hidden ones skipped."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        yield folder, False
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_folder = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_folder = False
        if is_folder:
            yield from _walk(entry.path)
        elif entry.name.lower().endswith(SUFFIXES):
            yield entry.path, entry.is_symlink()


class Found(NamedTuple):
    files: list[str]            # in the order given, each folder's files sorted, each file once
    empty_folders: list[str]    # folders given that hold no proposal file


def find(paths: Iterable[str | Path]) -> Found:
    """The proposal files under the given paths (see the module's docstring)."""
    found: dict[str, str] = {}
    empty: list[str] = []
    for given in paths:
        p = Path(given)
        if os.path.isdir(p):  # False, not an exception, for a path that cannot be looked at
            # Files are told apart by their real path. The walk follows no symlinked folder, so
            # the folder's real path plus the rest stands for each file's, except for symlinks.
            root, real = str(p), os.path.realpath(p)
            inside = sorted(_walk(root), key=lambda entry: Path(entry[0]))
            if not inside:
                empty.append(str(p))
            for path, symlink in inside:
                key = os.path.realpath(path) if symlink else real + path[len(root):]
                found.setdefault(key, Path(path).as_posix())
        else:
            found.setdefault(os.path.realpath(p), p.as_posix())
    return Found(list(found.values()), empty)


def discover(paths: Iterable[str | Path]) -> list[str]:
    """The proposal files under the given paths, sorted (the order of `shingikai lint`'s outputs)."""
    return sorted(find(paths).files, key=Path)


class Checked(NamedTuple):
    """One file: its report, or the input error that stopped it."""

    path: str
    loaded: LoadedProposal | None
    report: Report | None
    error: InputError | None


def check_one(path: str | Path, engine: Engine, today: dt.date | None = None, outline: bool = False) -> Checked:
    """One file checked (`outline`: see pipeline.check_loaded), or the input error that stopped it."""
    try:
        loaded = load_proposal(path)
        return Checked(str(path), loaded, check_loaded(loaded, engine, today, outline), None)
    except InputError as exc:
        return Checked(str(path), None, None, exc)


def check_each(paths: Iterable[str | Path], engine: Engine, today: dt.date | None = None) -> Iterator[Checked]:
    for path in paths:
        yield check_one(path, engine, today)
