"""What `shingikai lint` found: one result per file and their tally (the lint reporters show them).

The tally (counts by severity and status, invalid files, notices) is taken from each result once,
as it arrives, so the summary line and the exit code never read the results again. That matters
above PACK_THRESHOLD files, where every read of a stored result means unpacking it.
"""
from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from checker.core.errors import InputError, Problem
from checker.core.findings import SEVERITY_ORDER, Finding, Report
from checker.exit_codes import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK

if TYPE_CHECKING:
    from checker.core.catalogue import Catalogue

PACK_THRESHOLD = 2_000   # above this, file results are kept packed to bound memory
COUNT_KEYS = ("high", "medium", "low", "accepted", "covered", "baselined")


@dataclass(frozen=True)
class RuleInfo:
    """What SARIF and JUnit say about a rule beyond its findings (from the catalogue)."""

    id: str
    title: str
    why: str
    severity: str
    topic_label: str
    safeguards: tuple[tuple[str, str], ...]  # (id, text)


def rule_infos(catalogue: "Catalogue") -> dict[str, RuleInfo]:
    return {r.id: RuleInfo(id=r.id, title=r.title, why=r.why.strip(), severity=r.severity,
                           topic_label=catalogue.topics.get(r.topic, r.topic),
                           safeguards=tuple((s, catalogue.safeguards[s].text) for s in r.safeguards))
            for r in catalogue.rules}


@dataclass(frozen=True)
class FileResult:
    """One file: a Report, or the InputError that stopped it."""

    path: str
    report: Report | None = None
    error: InputError | None = None
    baselined: int = 0  # findings hidden because the baseline already records them
    # accepted_risks entries that suppress nothing (rule id, line, column), like an unused noqa
    unused_acceptances: tuple[tuple[str, int, int], ...] = ()
    # (location path, the same path with list items named by content), for baselines and SARIF
    content_paths: tuple[tuple[str, str], ...] = ()

    @property
    def findings(self) -> list[Finding]:
        return self.report.findings if self.report else []

    @property
    def problems(self) -> list[Problem]:
        return self.error.problems if self.error else []


class FileTally(NamedTuple):
    """What the summary and the exit code need from one file."""

    invalid: bool
    counts: tuple[int, ...]      # in COUNT_KEYS order: open by residual severity, accepted, covered, baselined
    notices: tuple[str, ...]     # e.g. "read as Shift_JIS": printed on stderr


def tally(result: FileResult) -> FileTally:
    counts = dict.fromkeys(COUNT_KEYS, 0)
    counts["baselined"] = result.baselined
    for finding in result.findings:
        counts[finding.residual_severity if finding.status == "open" else finding.status] += 1
    notices = tuple(result.report.notices) if result.report else ()
    return FileTally(result.error is not None, tuple(counts.values()), notices)


def pack(result: FileResult) -> bytes:
    return zlib.compress(pickle.dumps(result, pickle.HIGHEST_PROTOCOL), 1)


class ResultStore(Sequence[FileResult]):
    """File results in input order, each with its tally; above PACK_THRESHOLD files they are packed.

    A Report is ~11 KB pickled and compressed but ~80 KB as live objects: 10,000 of them held
    live took over 1 GB. Packed results are unpickled one at a time when read (~1 ms a file), so
    a folder of ordinary size keeps them live, and the tally is kept live in both cases.
    """

    def __init__(self, results: Iterable[FileResult] = (), packed: bool = False) -> None:
        self.packed = packed
        self._items: list[FileResult | bytes] = []
        self.tallies: list[FileTally] = []
        for result in results:
            self.append(result)

    def append(self, result: FileResult) -> None:
        self.tallies.append(tally(result))
        self._items.append(pack(result) if self.packed else result)

    def append_packed(self, file_tally: FileTally, packed: bytes) -> None:
        """A result a worker has already tallied and packed (it never has to be unpacked here)."""
        if not self.packed:
            raise ValueError("this store keeps live results")
        self.tallies.append(file_tally)
        self._items.append(packed)

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


@dataclass(frozen=True)
class LintSummary:
    """What a lint output says about the whole run: counts, exit code, --fail-on, the rules' texts."""

    tallies: Sequence[FileTally]
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    fail_on: str = "high"
    reports: tuple[str, ...] = ()  # the files this run writes (--output), named where a format points to them

    def counts(self) -> dict[str, int]:
        """Open findings by residual severity, plus accepted, covered, baselined and invalid files."""
        out = {key: sum(t.counts[i] for t in self.tallies) for i, key in enumerate(COUNT_KEYS)}
        return {**out, "files": len(self.tallies), "invalid": sum(t.invalid for t in self.tallies)}

    def exit_code(self) -> int:
        """2 when any file is invalid, else 1 when an open finding reaches --fail-on, else 0."""
        c = self.counts()
        if c["invalid"]:
            return EXIT_INPUT
        failing = any(c[s] for s in ("high", "medium", "low") if self.fails(s))
        return EXIT_FINDINGS if failing else EXIT_OK

    def fails(self, severity: str) -> bool:
        """Whether an open finding of this (residual) severity fails the run under --fail-on."""
        return self.fail_on != "none" and SEVERITY_ORDER[severity] >= SEVERITY_ORDER[self.fail_on]


@dataclass(frozen=True)
class LintResults:
    """Every file's full result (the library's view; `shingikai lint` keeps only what it prints)."""

    files: Sequence[FileResult]
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    fail_on: str = "high"

    def tallies(self) -> list[FileTally]:
        return self.files.tallies if isinstance(self.files, ResultStore) else [tally(f) for f in self.files]

    def summary(self) -> LintSummary:
        return LintSummary(self.tallies(), self.rules, self.fail_on)

    @property
    def invalid(self) -> list[FileResult]:
        return [self.files[i] for i, t in enumerate(self.tallies()) if t.invalid]

    def counts(self) -> dict[str, int]:
        return self.summary().counts()

    def exit_code(self) -> int:
        return self.summary().exit_code()
