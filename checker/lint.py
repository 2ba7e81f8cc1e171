"""Lint a folder of proposals the way CI lints code: every file, one result each, one exit code.

Files are found recursively (*.yaml / *.yml, hidden files and folders skipped) and linted in a
sorted order, so every output is reproducible. An invalid file is one result among others and
never hides the others' findings. Large folders are linted by a process pool; each worker
has the rule engine compiled once, and results come back in input order, so the output of a
parallel run is byte-for-byte the output of a serial one.
"""
from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import multiprocessing.context
import os
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .errors import InputError
from .lint_results import PACK_THRESHOLD, FileResult, FileTally, LintResults, ResultStore, pack, rule_infos, tally

if TYPE_CHECKING:
    from .engine import Engine

SUFFIXES = (".yaml", ".yml")
PARALLEL_THRESHOLD = 50  # below this, starting workers costs more than it saves


def proposal_files(folder: Path) -> list[Path]:
    """*.yaml / *.yml under a folder, sorted, skipping hidden files and folders (.git, .github)."""
    return sorted(p for p in folder.rglob("*")
                  if p.suffix.lower() in SUFFIXES and p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def discover(paths: Iterable[str | Path]) -> list[str]:
    """Proposal files under the given paths, deduplicated and sorted.

    A folder is searched recursively for *.yaml / *.yml, skipping hidden files and folders
    (.git, .github, .pre-commit-config.yaml). A file named on the command line is always
    linted, whatever its name; a path that does not exist is kept so it is reported as an error.
    """
    found: dict[str, str] = {}
    for given in paths:
        p = Path(given)
        if p.is_dir():
            for candidate in proposal_files(p):
                found.setdefault(str(candidate.resolve()), candidate.as_posix())
        else:
            found.setdefault(str(p.resolve()), p.as_posix())
    return sorted(found.values())


def lint_one(path: str, engine: "Engine", today: dt.date | None = None) -> FileResult:
    """Lint one file; bad input becomes part of the result instead of stopping the run."""
    from .pipeline import check_loaded
    from .validation import load_proposal
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


# --- process pool: each worker has the compiled engine, then lints many files.
_worker_engine: "Engine | None" = None
_worker_today: dt.date | None = None


def _init_worker(rules_dirs: list[Path] | None, today: dt.date | None) -> None:
    global _worker_engine, _worker_today
    if _worker_engine is None:  # a forked worker already holds the caller's engine
        from . import load_engine
        _worker_engine = load_engine(rules_dirs)
    _worker_today = today
    gc.freeze()  # what the worker starts with stays; collections only walk what it creates


def _lint_in_worker(path: str) -> FileResult:
    assert _worker_engine is not None, "worker not initialised"
    return lint_one(path, _worker_engine, _worker_today)


def _lint_packed_in_worker(path: str) -> tuple[FileTally, bytes]:
    """For a packed store: the worker tallies and packs, so the caller never unpickles a Report."""
    result = _lint_in_worker(path)
    return tally(result), pack(result)


def _pool_context() -> multiprocessing.context.BaseContext:
    """fork on Linux when this process runs a single thread, else forkserver (or spawn).

    A forked worker starts with the caller's imported modules and compiled engine, so it costs
    nothing to start; a forkserver worker imports the checker and compiles the engine itself
    (~0.2 s each). Forking a process that runs other threads can deadlock the child, which is
    why Python 3.14 stopped forking by default: with a second thread alive we do not fork.
    """
    methods = multiprocessing.get_all_start_methods()
    # macOS system libraries are not fork-safe either (Python stopped forking there in 3.8).
    if "fork" in methods and sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector while results pile up.

    Every collection of the oldest generation walks all the results held so far, so collecting
    the results of 500 files made each file cost ~1 ms more. What is created meanwhile is
    acyclic and freed by reference counting, so memory does not grow for want of collection.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def default_jobs(file_count: int) -> int:
    """All cores for a large folder, one process otherwise."""
    if file_count <= PARALLEL_THRESHOLD:
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def lint_paths(files: list[str], engine: "Engine", rules_dirs: list[Path] | None = None,
               jobs: int = 0, today: dt.date | None = None) -> "ResultStore":
    """Lint files in the given order; `jobs` 0 chooses, 1 is serial, N uses N worker processes."""
    jobs = jobs or default_jobs(len(files))
    jobs = min(jobs, len(files)) if files else 1
    packed = len(files) > PACK_THRESHOLD
    if jobs <= 1:
        with _gc_paused():
            return ResultStore((lint_one(path, engine, today) for path in files), packed)
    # Small chunks: a worker holds a whole chunk of reports before sending it back.
    chunk = max(1, min(32, len(files) // (jobs * 4)))
    global _worker_engine, _worker_today
    context = _pool_context()
    if context.get_start_method() == "fork":
        _worker_engine, _worker_today = engine, today  # inherited by the forked workers
    try:
        with _gc_paused(), ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                               initargs=(rules_dirs, today), mp_context=context) as pool:
            # map keeps input order, and results are stored as they arrive, not after all have.
            store = ResultStore(packed=packed)
            if packed:
                for file_tally, blob in pool.map(_lint_packed_in_worker, files, chunksize=chunk):
                    store.append_packed(file_tally, blob)
            else:
                for result in pool.map(_lint_in_worker, files, chunksize=chunk):
                    store.append(result)
            return store
    finally:
        _worker_engine = _worker_today = None


def run(paths: Iterable[str | Path], rules_dirs: list[Path] | None = None, fail_on: str = "high",
        jobs: int = 0, today: dt.date | None = None, files: list[str] | None = None) -> LintResults:
    """Discover, lint and collect: the library entry point behind `shingikai lint`.

    `files`: what discover(paths) returned, when the caller has already looked.
    """
    from . import load_engine
    engine = load_engine(rules_dirs)  # a broken rule base is a RuleError (exit 3) before any file
    files = discover(paths) if files is None else files
    results = lint_paths(files, engine, rules_dirs, jobs, today)
    return LintResults(files=results, rules=rule_infos(engine.catalogue), fail_on=fail_on)
