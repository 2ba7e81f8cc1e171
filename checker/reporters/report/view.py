"""What the human-readable reports (HTML, Markdown, CSV) show, computed once from a Report.

The templates only lay these out, so the Markdown and HTML reports cannot drift apart in content.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from checker.core.findings import SEVERITY_LABELS, SEVERITY_ORDER, STATUS_LABELS, Finding, Report, SafeguardCheck
from checker.reporters.report.draft import draft

SEVERITIES = ("high", "medium", "low")
TOP = 5   # the report opens with this many topics most likely to be raised
# An item without a ground for the council (法第129条) is not deliberated: the predicted outcome and minutes
# are shown only as what would happen if it were.
ONLY_IF_CONSULTED = "審議会に諮る根拠がないため、次の結果と時間は、仮に諮った場合の目安です"
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


@dataclass(frozen=True)
class LikelyRow:
    """A row of the first page's table: a topic, its likely question and what to write for it."""

    label: str
    likelihood: float
    likelihood_label: str
    settled: bool
    question: str
    rules: list[str]
    write: list[str]     # what the department should add to its document, from the missing safeguards


def likely_rows(report: Report) -> list[LikelyRow]:
    """The TOP most likely topics, each with the missing safeguards of the findings behind it."""
    by_id = {f.rule_id: f for f in report.findings}
    rows = []
    for t in report.topics[:TOP]:
        write: list[str] = []
        for rid in t.rules:
            f = by_id.get(rid)
            for c in (f.missing_safeguards if f else []):
                if c.write not in write:
                    write.append(c.write)
        rows.append(LikelyRow(t.label, t.likelihood, t.likelihood_label, t.settled, t.question, t.rules, write[:2]))
    return rows


# A finding gets a full block (questions, reasons, sources) when it is open and likely enough to be
# asked, or of high severity; at most DETAIL_LIMIT of them, most likely first. Everything else —
# covered, accepted, unlikely — is one row of a compact table, so a report prints in a few pages.
DETAIL_MIN_SCORE = 0.3   # on the score that orders findings (the shown chance is recalibrated)
DETAIL_LIMIT = 5


def is_detailed(f: Finding) -> bool:
    return f.is_open and (f.score >= DETAIL_MIN_SCORE or f.residual_severity == "high")


def split_findings(report: Report) -> tuple[list[Finding], list[Finding]]:
    """(findings shown in full, most likely first; the rest, most likely first)."""
    ordered = sorted(report.findings,
                     key=lambda f: (-f.likelihood, -f.score, -SEVERITY_ORDER[f.residual_severity], f.rule_id))
    high = [f for f in ordered if f.is_open and f.residual_severity == "high"]   # always in full
    others = [f for f in ordered if is_detailed(f) and f not in high]
    chosen = {id(f) for f in high + others[:max(0, DETAIL_LIMIT - len(high))]}
    detailed = [f for f in ordered if id(f) in chosen]
    return detailed, [f for f in ordered if id(f) not in chosen]


def topic_groups(report: Report) -> list[TopicGroup]:
    """The findings shown in full, grouped by topic; topics in the order of the first page's table
    (most likely first), then by their most likely finding, so every section reads in one order."""
    detailed, _ = split_findings(report)
    rank = {t.topic: i for i, t in enumerate(report.topics)}
    groups: dict[str, TopicGroup] = {}
    for f in detailed:
        groups.setdefault(f.topic, TopicGroup(f.topic, f.topic_label, [])).findings.append(f)
    return sorted(groups.values(),
                  key=lambda g: (rank.get(g.topic, len(rank)), -g.findings[0].likelihood, -g.findings[0].score))


def brief_findings(report: Report) -> list[Finding]:
    """Findings outside the full blocks: one compact row each."""
    return split_findings(report)[1]


def checklist_parts(report: Report) -> tuple[list[ChecklistRow], list[ChecklistRow], list[ChecklistRow]]:
    """(missing safeguards of the findings shown in full; other missing or accepted-only ones; in place)."""
    detailed = {f.rule_id for f in split_findings(report)[0]}
    rows = checklist(report)
    first = [r for r in rows if not r.declared and not r.accepted_only and detailed.intersection(r.rules)]
    rest = [r for r in rows if not r.declared and r not in first]
    return first, rest, [r for r in rows if r.declared]


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
                      f.likelihood_label, c.id, c.text, c.write)
            for f in report.findings if f.is_open for c in f.missing_safeguards]


@dataclass(frozen=True)
class SectionGroup:
    section: str
    label: str
    findings: list[Finding]


@dataclass(frozen=True)
class OpinionPoint:
    label: str          # the form section it concerns
    text: str
    rules: list[str]


@dataclass(frozen=True)
class ReviewOpinion:
    """The draft opinion (指摘事項・意見) of a third-party review, for the secretariat to edit."""

    summary: str
    points: list[OpinionPoint]     # 指摘事項（修正を要する）: open findings of high or medium severity
    remarks: list[OpinionPoint]    # 意見（留意されたい）: open findings of low severity


def is_pia_review(report: Report) -> bool:
    return "pia_review" in report.proposal.kinds


def section_groups(report: Report) -> list[SectionGroup]:
    """The findings shown in full, grouped by the section of the assessment form, in the form's order."""
    detailed, _ = split_findings(report)
    groups: dict[str, SectionGroup] = {}
    for f in detailed:
        groups.setdefault(f.form_section, SectionGroup(f.form_section, f.form_section_label, [])).findings.append(f)
    return sorted(groups.values(), key=lambda g: _section_order(g.section))


def _section_order(section: str) -> tuple[int, str]:
    roman = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}
    head, _, rest = section.partition("-")
    return roman.get(head, 9), rest.zfill(2)


def review_opinion(report: Report) -> ReviewOpinion | None:
    """The conclusion and numbered points of the draft review result (reporters/report/draft.py),
    or None for other kinds of proposal. The full draft is the draft_md / draft_html format."""
    d = draft(report)
    if d is None:
        return None
    return ReviewOpinion(f"{d.review_note}{d.conclusion}",
                         [OpinionPoint(i.section, i.text, i.rules) for i in d.corrections],
                         [OpinionPoint(i.section, i.text, i.rules) for i in d.remarks])


def pct(value: float) -> str:
    """A likelihood as a whole percentage, e.g. 0.62 -> '62%'."""
    return f"{round(value * 100)}%"


PLACEHOLDER_HEAD = ("仮の記載{count}件（未定・TBD・○○ など。記載なしとして点検しました。"
                    "決まった内容か、決まっていない理由と決める時期を書いてください）:")


def stated_note(check: SafeguardCheck) -> str:
    """How a safeguard in place was shown: 「申告済み」 only when listed under `safeguards:`; a safeguard
    that a stated field shows is 「記載から確認」 with that field, so the department sees where."""
    return f"記載から確認（{check.stated_in}）" if check.stated_in else "申告済み"


def context(report: Report) -> dict[str, object]:
    """Template variables shared by report.html.j2 and report.md.j2."""
    return {
        "r": report, "p": report.proposal, "s": report.summary, "a": report.assessment, "c": report.council,
        "only_if_consulted": ONLY_IF_CONSULTED if report.council is not None and not report.council.needed else "",
        "findings": report.findings, "notices": report.notices, "likely": likely_rows(report),
        "brief": brief_findings(report),
        "placeholders": report.placeholders, "placeholder_head": PLACEHOLDER_HEAD.format(count=len(report.placeholders)),
        "pct": pct, "stated_note": stated_note, "pia": is_pia_review(report),
        "sections": section_groups(report), "opinion": review_opinion(report),
        "groups": topic_groups(report), "checklist": checklist(report), "checklist_parts": checklist_parts(report), "risk_map": risk_map(report),
        "after_columns": AFTER_COLUMNS, "accepted": accepted(report),
        "sev": SEVERITY_LABELS, "status": STATUS_LABELS,
    }
