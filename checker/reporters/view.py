"""What the human-readable reports (HTML, Markdown, CSV) show, computed once from a Report.

The templates only lay these out, so the Markdown and HTML reports cannot drift apart in content.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import SEVERITY_LABELS, SEVERITY_ORDER, STATUS_LABELS, Finding, Report, SafeguardCheck

SEVERITIES = ("high", "medium", "low")
TOP = 5   # the report opens with this many topics most likely to be raised
# Risk-map columns after the declared safeguards: the residual severity of an open finding,
# or the finding's settled state.
AFTER_COLUMNS = (("high", "高"), ("medium", "中"), ("low", "低"), ("covered", "対応済み"), ("accepted", "受容"))


@dataclass(frozen=True)
class TopicGroup:
    topic: str
    label: str
    findings: list[Finding]


@dataclass
class ChecklistRow:
    id: str
    text: str
    write: str
    declared: bool
    stated_in: str = ""
    rules: list[str] = field(default_factory=list)
    accepted_only: bool = True   # every rule needing it is an accepted risk
    severity: str = "none"       # the most severe open finding still missing it ("none" if none)


@dataclass(frozen=True)
class ActionRow:
    proposal_id: str
    proposal_title: str
    rule_id: str
    rule_title: str
    topic_label: str
    severity_label: str
    likelihood: str
    safeguard_id: str
    safeguard_text: str
    write: str


def topic_groups(report: Report) -> list[TopicGroup]:
    """Findings grouped by topic, topics in order of their first (most urgent) finding."""
    groups: dict[str, TopicGroup] = {}
    for f in report.findings:
        groups.setdefault(f.topic, TopicGroup(f.topic, f.topic_label, [])).findings.append(f)
    return list(groups.values())


def checklist(report: Report) -> list[ChecklistRow]:
    """One row per safeguard the matched rules expect: missing (未) first, the most severe first,
    then those only accepted risks need, then declared (済)."""
    rows: dict[str, ChecklistRow] = {}
    for f in report.findings:
        for c in f.safeguards:
            row = rows.setdefault(c.id, ChecklistRow(c.id, c.text, c.write, c.declared, c.stated_in))
            row.rules.append(f.rule_id)
            row.accepted_only = row.accepted_only and f.status == "accepted"
            if not c.declared and f.is_open and SEVERITY_ORDER[f.residual_severity] > SEVERITY_ORDER[row.severity]:
                row.severity = f.residual_severity
    return sorted(rows.values(), key=lambda r: (r.declared, r.accepted_only, -SEVERITY_ORDER[r.severity], r.id))


def risk_map(report: Report) -> list[tuple[str, str, list[list[Finding]]]]:
    """Rows: severity before safeguards; cells: findings by their state after the declared ones."""
    out = []
    for before in SEVERITIES:
        cells: list[list[Finding]] = [[] for _ in AFTER_COLUMNS]
        for f in report.findings:
            if f.severity != before:
                continue
            after = f.residual_severity if f.status == "open" else f.status
            cells[[c for c, _ in AFTER_COLUMNS].index(after)].append(f)
        out.append((before, SEVERITY_LABELS[before], cells))
    return out


def accepted(report: Report) -> list[Finding]:
    """Accepted risks, and acceptances that expired (shown so nobody relies on them)."""
    return [f for f in report.findings if f.acceptance is not None]


def actions(report: Report) -> list[ActionRow]:
    """The action plan: one row per missing safeguard of every open finding."""
    p = report.proposal
    return [ActionRow(p.id, p.title, f.rule_id, f.title, f.topic_label, SEVERITY_LABELS[f.residual_severity],
                      pct(f.likelihood), c.id, c.text, c.write)
            for f in report.findings if f.is_open for c in f.missing_safeguards]


def pct(value: float) -> str:
    """A likelihood as a whole percentage, e.g. 0.62 -> '62%'."""
    return f"{round(value * 100)}%"


def stated_note(check: SafeguardCheck) -> str:
    """How a safeguard in place was shown: listed under `safeguards:`, or stated by a field."""
    return f"{check.stated_in} に記載" if check.stated_in else "申告済み"


def context(report: Report) -> dict[str, object]:
    """Template variables shared by report.html.j2 and report.md.j2."""
    return {
        "r": report, "p": report.proposal, "s": report.summary, "a": report.assessment,
        "findings": report.findings, "notices": report.notices, "likely": report.topics[:TOP],
        "pct": pct, "stated_note": stated_note,
        "groups": topic_groups(report), "checklist": checklist(report), "risk_map": risk_map(report),
        "after_columns": AFTER_COLUMNS, "accepted": accepted(report),
        "sev": SEVERITY_LABELS, "status": STATUS_LABELS,
    }
