"""Lint a folder of proposals the way CI lints code: every file, one result each, one exit code.

Files are found recursively (checker/commands/files.py) and linted in a sorted order, so every
output is reproducible. An invalid file is one result among others and never hides the others'
findings. Large folders are linted by a process pool; each worker
has the rule engine compiled once, and results come back in input order, so the output of a
parallel run is byte-for-byte the output of a serial one.
"""
from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple

from checker.commands import pool
from checker.commands.files import check_one, discover
from checker.commands.lint import baseline
from checker.commands.lint.spool import PartSpool
from checker.commands.lint.results import (PACK_THRESHOLD, FileResult, FileTally, LintResults, LintSummary,
                                           ResultStore, pack, rule_infos, tally)
from checker.core.cache import load_engine
from checker.core.errors import InputError

if TYPE_CHECKING:
    from checker.commands.lint.baseline import Entry
    from checker.core.engine import Engine

__all__ = ["Job", "LintRun", "discover", "lint_one", "lint_paths", "run", "run_rendered"]


def lint_one(path: str, engine: "Engine", today: dt.date | None = None, outline: bool = False,
             keyed: bool = True) -> FileResult:
    """Lint one file; bad input becomes part of the result instead of stopping the run.

    `outline`: an outline report (checker/core/pipeline.check_loaded); `keyed`: with the content paths
    that baselines and SARIF fingerprints need."""
    checked = check_one(path, engine, today, outline)
    if checked.error is not None:
        return FileResult(path=path, error=InputError(checked.error.path, list(checked.error.problems)))
    loaded, report = checked.loaded, checked.report
    assert loaded is not None and report is not None
    used = {f.rule_id for f in report.findings if f.acceptance is not None}
    unused = []
    for i, risk in enumerate(loaded.proposal.accepted_risks):
        if risk.rule not in used:
            pos = loaded.yaml.position(("accepted_risks", i, "rule"))
            unused.append((risk.rule, pos.line, pos.column))
    return FileResult(path=path, report=report, unused_acceptances=tuple(unused),
                      content_paths=baseline.content_paths(loaded.yaml.data, report.findings) if keyed else ())


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
    engine = load_engine(rules_dirs)  # a broken rule base is a RuleError (exit 3) before any file
    files = discover(paths) if files is None else files
    results = lint_paths(files, engine, rules_dirs, jobs, today)
    return LintResults(files=results, rules=rule_infos(engine.catalogue), fail_on=fail_on)


# --- `shingikai lint`: each file rendered where it was linted, so no Report travels back
class Job(NamedTuple):
    """What the command keeps of each file."""

    # what each requested output needs from one file: the formats' module-level `part` functions
    # (checker/reporters/lint/), handed in by the CLI so that a worker renders where it lints
    parts: tuple[Callable[[FileResult], Any], ...]
    known: "frozenset[Entry] | None" = None  # --baseline: findings recorded there are hidden
    base: Path | None = None               # the folder baseline paths are relative to
    record: bool = False                   # --write-baseline: return the file's entries and hide them


class Rendered(NamedTuple):
    tally: FileTally
    parts: tuple[Any, ...]                 # one per Job.parts
    entries: "tuple[Entry, ...]"           # baseline entries (with Job.record)


class LintRun(NamedTuple):
    summary: LintSummary
    parts: "list[PartSpool]"               # per Job.parts, every file's part in file order
    entries: "set[Entry]"


def outline_only(job: Job) -> bool:
    """Whether every requested output shows only what an outline report holds: its format module says
    OUTLINE = True (checker/reporters/lint/text.py)."""
    return all(getattr(sys.modules.get(part.__module__), "OUTLINE", False) for part in job.parts)


def render_one(path: str, engine: "Engine", today: dt.date | None, job: Job) -> Rendered:
    """Lint one file, apply the baseline and keep only what the requested outputs need."""
    outline = outline_only(job)
    result = lint_one(path, engine, today, outline, keyed=not outline or job.record or job.known is not None)
    entries: "set[Entry]" = set()
    if job.record and job.base is not None:
        # The new baseline records every open finding, so all of them are hidden from the output.
        entries = baseline.file_entries(result, job.base)
        result = baseline.apply_one(result, entries, job.base)
    elif job.known is not None and job.base is not None:
        result = baseline.apply_one(result, job.known, job.base)
    parts = tuple(part(result) for part in job.parts)
    return Rendered(tally(result), parts, tuple(sorted(entries)))


def _render(path: str, state: pool.State) -> Rendered:
    return render_one(path, state.engine, state.today, state.job)


def run_rendered(files: list[str], job: Job, rules_dirs: list[Path] | None = None, fail_on: str = "high",
                 jobs: int = 0, today: dt.date | None = None) -> LintRun:
    """Lint files and keep, per file, its tally and the parts of the requested outputs."""
    engine = load_engine(rules_dirs)  # a broken rule base is a RuleError (exit 3) before any file
    tallies: list[FileTally] = []
    parts = [PartSpool() for _ in job.parts]  # on disk until written: memory stays flat (spool.py)
    entries: "set[Entry]" = set()
    with pool.gc_paused():
        for rendered in pool.each(_render, files, engine, rules_dirs, jobs, today, job):
            tallies.append(rendered.tally)
            entries.update(rendered.entries)
            for collected, part in zip(parts, rendered.parts):
                collected.append(part)
    return LintRun(LintSummary(tallies, rule_infos(engine.catalogue), fail_on), parts, entries)
