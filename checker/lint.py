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
import pickle
import threading
import zlib
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .errors import InputError, Problem
from .findings import SEVERITY_ORDER, Finding, Location, Report

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .engine import Engine

SUFFIXES = (".yaml", ".yml")
PARALLEL_THRESHOLD = 50  # below this, starting workers costs more than it saves
PACK_THRESHOLD = 2_000   # above this, file results are kept packed to bound memory
FAIL_ON = ("high", "medium", "low", "none")
EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


@dataclass(frozen=True)
class RuleInfo:
    """What SARIF and JUnit say about a rule beyond its findings (from the catalogue)."""

    id: str
    title: str
    why: str
    severity: str
    topic_label: str
    safeguards: tuple[tuple[str, str], ...]  # (id, text)


@dataclass(frozen=True)
class FileResult:
    """One file: a Report, or the InputError that stopped it."""

    path: str
    report: Report | None = None
    error: InputError | None = None
    baselined: int = 0  # findings hidden because the baseline already records them
    # accepted_risks entries that suppress nothing (rule id, line, column), like an unused noqa
    unused_acceptances: tuple[tuple[str, int, int], ...] = ()

    @property
    def findings(self) -> list[Finding]:
        return self.report.findings if self.report else []

    @property
    def problems(self) -> list[Problem]:
        return self.error.problems if self.error else []


@dataclass(frozen=True)
class LintResults:
    files: Sequence[FileResult]
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    fail_on: str = "high"

    @property
    def invalid(self) -> list[FileResult]:
        return [f for f in self.files if f.error is not None]

    def counts(self) -> dict[str, int]:
        """Open findings by residual severity, plus accepted, covered, baselined and invalid files."""
        out = {"high": 0, "medium": 0, "low": 0, "accepted": 0, "covered": 0, "baselined": 0,
               "files": len(self.files), "invalid": len(self.invalid)}
        for f in self.files:
            out["baselined"] += f.baselined
            for finding in f.findings:
                key = finding.residual_severity if finding.status == "open" else finding.status
                out[key] += 1
        return out

    def failing(self) -> list[Finding]:
        """Open findings at or above --fail-on (accepted and covered ones never fail)."""
        if self.fail_on == "none":
            return []
        return [x for f in self.files if f.report for x in f.report.open_findings
                if SEVERITY_ORDER[x.residual_severity] >= SEVERITY_ORDER[self.fail_on]]

    def exit_code(self) -> int:
        """2 when any file is invalid, else 1 when a finding reaches --fail-on, else 0."""
        if self.invalid:
            return EXIT_INPUT
        return EXIT_FINDINGS if self.failing() else EXIT_OK


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


def rule_infos(catalogue: "Catalogue") -> dict[str, RuleInfo]:
    return {r.id: RuleInfo(id=r.id, title=r.title, why=r.why.strip(), severity=r.severity,
                           topic_label=catalogue.topics.get(r.topic, r.topic),
                           safeguards=tuple((s, catalogue.safeguards[s].text) for s in r.safeguards))
            for r in catalogue.rules}


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


def unused_note(rule_id: str) -> str:
    return (f"accepted_risks の {rule_id} に当たる未対応の指摘はありません"
            "（措置済みか、案件が変わりました。不要になった受容は削除してください）")


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


def _pool_context() -> multiprocessing.context.BaseContext:
    """fork when this process runs a single thread, else forkserver (spawn where neither exists).

    A forked worker starts with the caller's imported modules and compiled engine, so it costs
    nothing to start; a forkserver worker imports the checker and compiles the engine itself
    (~0.2 s each). Forking a process that runs other threads can deadlock the child, which is
    why Python 3.14 stopped forking by default: with a second thread alive we do not fork.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
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


class ResultStore(Sequence[FileResult]):
    """File results in input order; above PACK_THRESHOLD files they are kept packed.

    A Report is ~11 KB pickled and compressed but ~80 KB as live objects: 10,000 of them held
    live took over 1 GB. Packed results are unpickled one at a time when read, which costs
    ~1.5 ms a file per pass, so a folder of ordinary size keeps them live and fast.
    """

    def __init__(self, results: Iterable[FileResult] = (), packed: bool = False) -> None:
        self.packed = packed
        self._items: list[FileResult | bytes] = []
        for result in results:
            self.append(result)

    def append(self, result: FileResult) -> None:
        if self.packed:
            self._items.append(zlib.compress(pickle.dumps(result, pickle.HIGHEST_PROTOCOL), 1))
        else:
            self._items.append(result)

    def _unpack(self, item: FileResult | bytes) -> FileResult:
        return pickle.loads(zlib.decompress(item)) if isinstance(item, bytes) else item

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        if isinstance(index, slice):
            return [self._unpack(item) for item in self._items[index]]
        return self._unpack(self._items[index])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)


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
            # map keeps input order; each result is packed as it arrives, not after all have.
            return ResultStore(pool.map(_lint_in_worker, files, chunksize=chunk), packed)
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


# --- helpers shared by the lint reporters
def shown(result: FileResult) -> list[Finding]:
    """Findings a lint output lists: open and accepted ones (covered ones need no action)."""
    return [f for f in result.findings if f.status != "covered"]


def by_position(result: FileResult) -> list[tuple[Finding, Location]]:
    """(finding, location) pairs in file order, one per location, for line-oriented formats."""
    pairs = [(f, loc) for f in shown(result) for loc in f.locations]
    return sorted(pairs, key=lambda p: (p[1].line, p[1].column, p[0].rule_id, p[1].path))


def position(problem: Problem) -> tuple[int, int]:
    """Line and column of an input problem; (1, 1) when it concerns the whole file."""
    return problem.line or 1, problem.column or 1


def status_note(finding: Finding) -> str:
    """Why an accepted or re-opened finding looks the way it does (empty for plain ones)."""
    if finding.status == "accepted" and finding.acceptance:
        a = finding.acceptance
        until = f"、期限 {a.until.isoformat()}" if a.until else ""
        by = f"、承認 {a.approved_by}" if a.approved_by else ""
        return f"受容済み: {a.reason}{by}{until}"
    return finding.note


def summary_line(results: LintResults) -> str:
    c = results.counts()
    text = (f"{c['files']} ファイルを点検: 未対応 高 {c['high']}・中 {c['medium']}・低 {c['low']} 件、"
            f"受容 {c['accepted']} 件、対応済み {c['covered']} 件")
    if c["baselined"]:
        text += f"、ベースライン記録済み {c['baselined']} 件"
    if c["invalid"]:
        text += f"、入力エラー {c['invalid']} ファイル"
    return text
