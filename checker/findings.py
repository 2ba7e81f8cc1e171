"""Finding and Report: the one model every output format renders.

Severity order, safeguard ticking, accepted risks and the overall risk level are decided
here, once; reporters only read `Report.as_records()` or the models.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from .outcome import Assessment

Severity = Literal["high", "medium", "low"]
Status = Literal["open", "covered", "accepted"]
SEVERITY_ORDER = {"high": 3, "medium": 2, "low": 1, "none": 0}
SEVERITY_LABELS = {"high": "高", "medium": "中", "low": "低", "none": "なし"}
STATUS_LABELS = {"open": "未対応", "covered": "対応済み", "accepted": "受容済み"}


def at_least(severity: str, threshold: str) -> bool:
    return SEVERITY_ORDER[severity] >= SEVERITY_ORDER[threshold]


def lower(severity: Severity) -> Severity:
    return {"high": "medium", "medium": "low", "low": "low"}[severity]  # type: ignore[return-value]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SafeguardCheck(Frozen):
    id: str
    text: str
    write: str
    declared: bool


class PrecedentRef(Frozen):
    source: str
    item: str
    note: str


class Location(Frozen):
    path: str      # e.g. "transfers[1]"; "" for the top of the file
    line: int
    column: int


class Acceptance(Frozen):
    reason: str
    approved_by: str = ""
    until: dt.date | None = None
    expired: bool = False


class Finding(Frozen):
    rule_id: str
    title: str
    topic: str
    topic_label: str
    also_topics: list[str] = []
    severity: Severity
    residual_severity: Severity
    status: Status
    deferral: bool = False
    because: str
    questions: list[str]
    safeguards: list[SafeguardCheck]
    precedents: list[PrecedentRef]
    locations: list[Location]
    acceptance: Acceptance | None = None
    note: str = ""

    @property
    def location(self) -> Location:
        return self.locations[0]

    @property
    def missing_safeguards(self) -> list[SafeguardCheck]:
        return [s for s in self.safeguards if not s.declared]

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class ProposalSummary(Frozen):
    file: str
    id: str
    title: str
    municipality: str = ""
    department: str = ""
    meeting_date: dt.date | None = None
    procedure: str
    procedure_label: str
    kinds: list[str]
    kind_labels: list[str]
    purpose: str = ""
    business: str = ""
    subjects: list[str] = []
    vendors: list[str] = []
    data_item_count: int = 0
    declared_safeguards: list[str] = []
    origin: dict[str, str] | None = None


class Summary(Frozen):
    risk: Literal["high", "medium", "low", "none"]
    risk_label: str
    open: dict[str, int]
    covered: int
    accepted: int
    total: int


class Report(Frozen):
    proposal: ProposalSummary
    findings: list[Finding]
    summary: Summary
    notices: list[str] = []
    assessment: Assessment | None = None   # predicted outcome and minutes (checker/outcome.py)

    @property
    def open_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.is_open]

    def worst(self) -> str:
        return self.summary.risk

    def fails(self, threshold: str) -> bool:
        """Whether an open finding reaches the threshold (`none` never fails)."""
        if threshold == "none":
            return False
        return any(at_least(f.residual_severity, threshold) for f in self.open_findings)

    def as_records(self) -> dict[str, Any]:
        """The JSON contract: plain data, no timestamps, stable order."""
        return self.model_dump(mode="json")


def summarise(findings: list[Finding]) -> Summary:
    open_counts = {"high": 0, "medium": 0, "low": 0}
    for f in findings:
        if f.is_open:
            open_counts[f.residual_severity] += 1
    risk = next((s for s in ("high", "medium", "low") if open_counts[s]), "none")
    return Summary(risk=risk, risk_label=SEVERITY_LABELS[risk], open=open_counts,
                   covered=sum(f.status == "covered" for f in findings),
                   accepted=sum(f.status == "accepted" for f in findings), total=len(findings))


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Open before covered/accepted, then by severity, then by rule id."""
    status_rank = {"open": 0, "accepted": 1, "covered": 2}
    return sorted(findings, key=lambda f: (status_rank[f.status], -SEVERITY_ORDER[f.residual_severity], f.rule_id))
