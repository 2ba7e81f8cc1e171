"""Lint a folder of proposals the way CI lints code: every file, one result each, one exit code.

Files are found recursively (*.yaml / *.yml, hidden files and folders skipped) and linted in a
sorted order, so every output is reproducible. An invalid file is one result among others and
never hides the others' findings. Large folders are linted by a process pool; each worker
has the rule engine compiled once, and results come back in input order, so the output of a
parallel run is byte-for-byte the output of a serial one.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple

from checker.commands.lint import baseline
from checker.commands import pool
from checker.core.errors import InputError
from checker.commands.lint.results import (PACK_THRESHOLD, FileResult, FileTally, LintResults, LintSummary, ResultStore, pack,
                           rule_infos, tally)
from checker.reporters import lint_reporter

if TYPE_CHECKING:
    from checker.commands.lint.baseline import Entry
    from checker.core.engine import Engine

SUFFIXES = (".yaml", ".yml")


def _walk(folder: str) -> Iterator[tuple[str, bool]]:
    """(path, is a symlink) of every *.yaml / *.yml under a folder, skipping hidden files and
    folders (.git, .github). Symlinked folders are not followed, as with Path.rglob.

    What cannot be checked is still listed, so each becomes that file's input error (the loader
    says why) and the rest of the folder is checked: a folder that cannot be read is listed
    itself, and so are broken or looping links, unreadable files, pipes and devices by those names.
    """
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


def proposal_files(folder: Path) -> list[Path]:
    """*.yaml / *.yml under a folder, sorted, skipping hidden files and folders (.git, .github)."""
    return sorted(Path(path) for path, _ in _walk(str(folder)))


def discover(paths: Iterable[str | Path]) -> list[str]:
    """Proposal files under the given paths, deduplicated and sorted.

    A folder is searched recursively for *.yaml / *.yml, skipping hidden files and folders
    (.git, .github, .pre-commit-config.yaml). A file named on the command line is always
    linted, whatever its name; a path that does not exist is kept so it is reported as an error.
    """
    found: dict[str, str] = {}
    for given in paths:
        p = Path(given)
        if os.path.isdir(p):  # False, not an exception, for a path that cannot be looked at
            # Files are told apart by their real path. The walk follows no symlinked folder, so
            # the folder's real path plus the rest stands for each file's, except for symlinks.
            root, real = str(p), os.path.realpath(p)
            for path, symlink in _walk(root):
                key = os.path.realpath(path) if symlink else real + path[len(root):]
                found.setdefault(key, Path(path).as_posix())
        else:
            found.setdefault(os.path.realpath(p), p.as_posix())
    return sorted(found.values())


def lint_one(path: str, engine: "Engine", today: dt.date | None = None) -> FileResult:
    """Lint one file; bad input becomes part of the result instead of stopping the run."""
    from checker.core.pipeline import check_loaded
    from checker.core.validation import load_proposal
    try:
        loaded = load_proposal(path)
        report = check_loaded(loaded, engine, today)
    except InputError as exc:
        return FileResult(path=path, error=InputError(exc.path, list(exc.problems)))
    used = {f.rule_id for f in report.findings if f.acceptance is not None}
    unused = []
    for i, risk in enumerate(loaded.proposal.accepted_risks):
        if risk.rule not in used:
            pos = loaded.yaml.position(("accepted_risks", i, "rule"))
            unused.append((risk.rule, pos.line, pos.column))
    return FileResult(path=path, report=report, unused_acceptances=tuple(unused))


# --- the library's view: every file's full result
def _lint(path: str, state: pool.State) -> FileResult:
    return lint_one(path, state.engine, state.today)


def _lint_packed(path: str, state: pool.State) -> tuple[FileTally, bytes]:
    """For a packed store: the worker tallies and packs, so the caller never unpickles a Report."""
    result = _lint(path, state)
    return tally(result), pack(result)


def lint_paths(files: list[str], engine: "Engine", rules_dirs: list[Path] | None = None,
               jobs: int = 0, today: dt.date | None = None) -> ResultStore:
    """Lint files in the given order; `jobs` 0 chooses, 1 is serial, N uses N worker processes."""
    store = ResultStore(packed=len(files) > PACK_THRESHOLD)
    with pool.gc_paused():
        if store.packed:
            for file_tally, blob in pool.each(_lint_packed, files, engine, rules_dirs, jobs, today):
                store.append_packed(file_tally, blob)
        else:
            for result in pool.each(_lint, files, engine, rules_dirs, jobs, today):
                store.append(result)
    return store


def run(paths: Iterable[str | Path], rules_dirs: list[Path] | None = None, fail_on: str = "high",
        jobs: int = 0, today: dt.date | None = None, files: list[str] | None = None) -> LintResults:
    """Discover, lint and collect every file's full result (the library entry point).

    `files`: what discover(paths) returned, when the caller has already looked.
    """
    from checker.core.cache import load_engine
    engine = load_engine(rules_dirs)  # a broken rule base is a RuleError (exit 3) before any file
    files = discover(paths) if files is None else files
    results = lint_paths(files, engine, rules_dirs, jobs, today)
    return LintResults(files=results, rules=rule_infos(engine.catalogue), fail_on=fail_on)


# --- `shingikai lint`: each file rendered where it was linted, so no Report travels back
class Job(NamedTuple):
    """What the command keeps of each file."""

    formats: tuple[str, ...]              # lint output formats whose per-file parts are wanted
    known: "frozenset[Entry] | None" = None  # --baseline: findings recorded there are hidden
    base: Path | None = None               # the folder baseline paths are relative to
    record: bool = False                   # --write-baseline: return the file's entries and hide them


class Rendered(NamedTuple):
    tally: FileTally
    parts: tuple[Any, ...]                 # one per Job.formats
    entries: "tuple[Entry, ...]"           # baseline entries (with Job.record)


class LintRun(NamedTuple):
    summary: LintSummary
    parts: dict[str, list[Any]]            # format -> per-file parts in file order
    entries: "set[Entry]"


def render_one(path: str, engine: "Engine", today: dt.date | None, job: Job) -> Rendered:
    """Lint one file, apply the baseline and keep only what the requested outputs need."""
    result = lint_one(path, engine, today)
    entries: "set[Entry]" = set()
    if job.record and job.base is not None:
        # The new baseline records every open finding, so all of them are hidden from the output.
        entries = baseline.file_entries(result, job.base)
        result = baseline.apply_one(result, entries, job.base)
    elif job.known is not None and job.base is not None:
        result = baseline.apply_one(result, job.known, job.base)
    parts = tuple(lint_reporter(name).part(result) for name in job.formats)
    return Rendered(tally(result), parts, tuple(sorted(entries)))


def _render(path: str, state: pool.State) -> Rendered:
    return render_one(path, state.engine, state.today, state.job)


def run_rendered(files: list[str], job: Job, rules_dirs: list[Path] | None = None, fail_on: str = "high",
                 jobs: int = 0, today: dt.date | None = None) -> LintRun:
    """Lint files and keep, per file, its tally and the parts of the requested outputs."""
    from checker.core.cache import load_engine
    engine = load_engine(rules_dirs)  # a broken rule base is a RuleError (exit 3) before any file
    for name in job.formats:
        lint_reporter(name)  # imported once here, so forked workers inherit the module
    tallies: list[FileTally] = []
    parts: dict[str, list[Any]] = {name: [] for name in job.formats}
    entries: "set[Entry]" = set()
    with pool.gc_paused():
        for rendered in pool.each(_render, files, engine, rules_dirs, jobs, today, job):
            tallies.append(rendered.tally)
            entries.update(rendered.entries)
            for name, part in zip(job.formats, rendered.parts):
                parts[name].append(part)
    return LintRun(LintSummary(tallies, rule_infos(engine.catalogue), fail_on), parts, entries)
