"""Which outputs a command may write: never one of its own inputs, never one file twice.

Every command with an output checks its outputs here before it does any work: a report written
over the proposal it reads, a rule file of a --rules folder, a baseline or the council record
would destroy what the user asked to be read, and two outputs that are one file would keep only
the last one. Both are the user's input errors (exit 2), named with the path and what to do.

Files are compared as the file system sees them: the same path however written (`./a`, `b/../a`,
a symlink) and the same file under another name (a hard link).
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from checker.core.errors import InputError, Problem

SCREEN = "-"  # `-o -`: standard output, as for most command-line tools


@dataclass(frozen=True)
class Input:
    """A file a command reads, and what it is called in a message (案件ファイル, ルールファイル …)."""

    path: Path
    kind: str


@dataclass(frozen=True)
class Output:
    """A file a command writes, and the option that named it (--output, --write-baseline …)."""

    path: str | Path | None   # None or SCREEN: the screen
    option: str = "--output"

    @property
    def is_file(self) -> bool:
        return self.path is not None and str(self.path) != SCREEN


def inputs(paths: Iterable[str | Path], kind: str) -> list[Input]:
    return [Input(Path(p), kind) for p in paths]


def folder_files(folders: Iterable[str | Path] | None) -> list[Path]:
    """Every file under the given folders (rule folders: rules, safeguards, sources …), hidden ones included."""
    found: list[Path] = []
    for folder in folders or []:
        if os.path.isfile(folder):
            found.append(Path(folder))
            continue
        for root, _dirs, names in os.walk(folder):
            found.extend(Path(root, name) for name in names)
    return found


def _identity(path: str | Path) -> tuple[str, tuple[int, int] | None]:
    """The path with links and `..` resolved, and the file's (device, inode) when it exists."""
    try:
        real = os.path.realpath(path)
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a symlink loop on old Pythons
        real = os.path.abspath(path)
    try:
        info = os.stat(path)
        return real, (info.st_dev, info.st_ino)
    except (OSError, ValueError):
        return real, None


def check_outputs(outputs: Sequence[Output], read: Sequence[Input]) -> None:
    """An InputError (exit 2) for the first output that is an input or is given twice."""
    by_path: dict[str, Input] = {}
    by_file: dict[tuple[int, int], Input] = {}
    for source in read:
        real, file = _identity(source.path)
        by_path.setdefault(real, source)
        if file is not None:
            by_file.setdefault(file, source)
    seen: dict[str, Output] = {}
    seen_files: dict[tuple[int, int], Output] = {}
    for output in outputs:
        if not output.is_file:
            continue
        real, file = _identity(output.path)  # type: ignore[arg-type]
        source = by_path.get(real) or (by_file.get(file) if file is not None else None)
        if source is not None:
            raise InputError(str(output.path), [Problem(
                f"出力先が読み込む{source.kind} {source.path} と同じファイルです（{source.kind}は上書きしません）。",
                f"{output.option}{' ' if output.option.startswith('-') else ''}には別のファイル名を指定してください。")])
        first = seen.get(real) or (seen_files.get(file) if file is not None else None)
        if first is not None:
            both = first.option if first.option == output.option else f"{first.option} と {output.option}"
            raise InputError(str(output.path), [Problem(
                f"同じファイルが {both} で 2 回、出力先に指定されています（後の出力が先の出力を消してしまいます）。",
                "出力ごとに別のファイル名を指定してください。")])
        seen[real] = output
        if file is not None:
            seen_files[file] = output
