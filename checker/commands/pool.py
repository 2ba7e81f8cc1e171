"""Run one function over many files on all cores, with the results in input order.

The function gets a file path and a State: the compiled engine, the day and the job the caller
chose. A serial run calls it in this process with the caller's State, a worker with the State
it was started with, so a parallel run gives exactly what a serial one gives.
"""
from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import multiprocessing.context
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from checker.shell import signals

if TYPE_CHECKING:
    from checker.core.engine import Engine

PARALLEL_THRESHOLD = 50  # below this, starting workers costs more than it saves
T = TypeVar("T")


class State(NamedTuple):
    engine: "Engine"
    today: dt.date | None
    job: Any  # whatever the work function needs besides the path (e.g. formats to render)


_state: State | None = None  # a worker's State (in the caller only while forking workers)


def _call(work: Callable[[str, State], T], path: str) -> T:
    assert _state is not None, "worker not initialised"
    return work(path, _state)


def _init_worker(rules_dirs: list[Path] | None, today: dt.date | None, job: Any, parent: int | None) -> None:
    global _state
    signals.end_with_parent(parent)  # no worker outlives the command, however the command ends
    if _state is None:  # a forked worker already holds the caller's engine
        from checker.core.cache import load_engine
        _state = State(load_engine(rules_dirs), today, job)
    gc.freeze()  # what the worker starts with stays; collections only walk what it creates


def _context() -> multiprocessing.context.BaseContext:
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
def gc_paused() -> Iterator[None]:
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


def each(work: Callable[[str, State], T], files: list[str], engine: "Engine", rules_dirs: list[Path] | None = None,
         jobs: int = 0, today: dt.date | None = None, job: Any = None) -> Iterator[T]:
    """work(path, state) for every file, in input order; `jobs` 0 chooses, 1 is serial, N uses N processes.

    `work` must be a module-level function (workers find it by name). Iterate the results inside
    gc_paused() when they are kept.
    """
    global _state
    jobs = jobs or default_jobs(len(files))
    jobs = min(jobs, len(files)) if files else 1
    state = State(engine, today, job)
    if jobs <= 1:
        yield from (work(path, state) for path in files)
        return
    # Small chunks: a worker holds a whole chunk of results before sending it back.
    chunk = max(1, min(32, len(files) // (jobs * 4)))
    context = _context()
    forked = context.get_start_method() == "fork"
    try:
        if forked:
            _state = state  # inherited by the forked workers
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                   initargs=(rules_dirs, today, job, os.getpid() if forked else None),
                                   mp_context=context)
        try:
            yield from pool.map(partial(_call, work), files, chunksize=chunk)
        except BaseException:
            # Interrupted (Ctrl-C, SIGTERM, a closed pipe): do not wait for the queued files.
            # Workers still busy end with this process (signals.end_with_parent).
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    finally:
        if forked:
            _state = None
