"""Predicted outcome and deliberation minutes: a small, transparent model (no learning, no weights).

Why a fixed model: a department must be able to see *why* the report predicts 継続審議, and the
secretariat must be able to redo the sum for an agenda by hand. Every number is below and in README.

Outcome (first rule that applies wins; "open" = status open, incl. an expired risk acceptance;
severity = residual severity after the declared safeguards):
  1. 継続審議の可能性 (deferral_risk)  an open **high** finding of the deferral kind
     (`Finding.deferral`: undeclared sensitive data, a bridge into the My Number segment, material the
     council asked for and the proposal lacks). Seed 004 item (2) was deferred for exactly these.
  2. 条件付き承認 (approved_with_conditions)  any other open high finding. Seeds 000 (1), 002 (1)
     and 002 (2) were approved on condition that an unresolved high-risk point be fixed.
  3. 承認 (approved)  otherwise; open medium/low findings become the council's remarks (意見), as
     in 000 (2)/(3) and 001 ①. For a 報告 "approved" means the report is noted (報告了承).

Minutes = base per procedure + per open finding by residual severity (+ 1 per covered/accepted
finding, which the department still explains), rounded up to a multiple of 5:
  base 諮問 10, 報告 5; open high 6 (deferral kind 25), medium 3, low 1; covered/accepted 1.
Calibration on the seed minutes (share of the record per item x meeting length):
  000: 40 min / 4 items (items of 6-17 min, the contested LINE pilot the longest);
  001: 90 min / 6 items (8-22 min); 002: 100 min / 6 items (7-29 min; the child-consultation
  migration with two conditions the longest, ~29 min); 003: 150 min / 41 items in 6 blocks (most
  items noted without a question, a few minutes each — hence the low 報告 base);
  004: 127 min / 3 items: (1) ~35 min, (2) ~90 min and deferred, (3) carried over for lack of time.
The deferral weight (25) reflects 004 (2); the model still undershoots such an item (it predicts
roughly 40-60 min), so a deferral-risk item should be placed early or alone on an agenda.
`MEETING_OVERHEAD_MINUTES` is the opening/closing time an agenda sum should add per meeting.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal, Sequence

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:  # findings.py imports this module; avoid the cycle at run time
    from .findings import Finding, ProposalSummary

Outcome = Literal["approved", "approved_with_conditions", "deferral_risk"]
OUTCOME_LABELS: dict[str, str] = {
    "approved": "承認",
    "approved_with_conditions": "条件付き承認",
    "deferral_risk": "継続審議の可能性",
}
BASE_MINUTES = {"consultation": 10, "report": 5}
OPEN_MINUTES = {"high": 6, "medium": 3, "low": 1}
DEFERRAL_MINUTES = 25          # an open high finding of the deferral kind (replaces OPEN_MINUTES["high"])
SETTLED_MINUTES = 1            # covered or accepted finding: the department still explains it
ROUND_TO = 5
MEETING_OVERHEAD_MINUTES = 10  # opening, previous minutes, closing: add once per meeting
_SEV = {"high": "高", "medium": "中", "low": "低"}


class Assessment(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    outcome: Outcome
    label: str
    estimated_minutes: int
    reasons: list[str]


def _ids(findings: Sequence["Finding"]) -> str:
    return "、".join(f.rule_id for f in findings)


def predict_outcome(findings: Sequence["Finding"]) -> tuple[Outcome, str]:
    """The outcome and the one-line reason for it."""
    open_ = [f for f in findings if f.status == "open"]
    deferral = [f for f in open_ if f.deferral and f.residual_severity == "high"]
    if deferral:
        return "deferral_risk", (f"継続審議になりやすい種類の重要度「高」の指摘（{_ids(deferral)}）が未対応のため、"
                                 "追加資料を求められるおそれがあります。")
    high = [f for f in open_ if f.residual_severity == "high"]
    if high:
        return "approved_with_conditions", (f"重要度「高」の指摘（{_ids(high)}）が未対応のため、"
                                            "措置を講じることを条件に承認される見込みです。")
    if open_:
        return "approved", f"未対応の指摘（{_ids(open_)}）は重要度が中・低のため、意見が付く程度で承認される見込みです。"
    return "approved", "未対応の指摘がないため、承認される見込みです。"


def estimate_minutes(findings: Sequence["Finding"], procedure: str) -> tuple[int, str]:
    """Estimated deliberation minutes and the one-line breakdown."""
    base = BASE_MINUTES.get(procedure, BASE_MINUTES["consultation"])
    parts = [f"基本 {base} 分（{'報告' if procedure == 'report' else '諮問'}）"]
    total = base
    counts: dict[str, int] = {"deferral": 0, "high": 0, "medium": 0, "low": 0}
    settled = 0
    for f in findings:
        if f.status != "open":
            settled += 1
        elif f.deferral and f.residual_severity == "high":
            counts["deferral"] += 1
        else:
            counts[f.residual_severity] += 1
    if counts["deferral"]:
        total += DEFERRAL_MINUTES * counts["deferral"]
        parts.append(f"継続審議になりやすい指摘 {counts['deferral']} 件×{DEFERRAL_MINUTES} 分")
    for sev in ("high", "medium", "low"):
        if counts[sev]:
            total += OPEN_MINUTES[sev] * counts[sev]
            parts.append(f"未対応（{_SEV[sev]}）{counts[sev]} 件×{OPEN_MINUTES[sev]} 分")
    if settled:
        total += SETTLED_MINUTES * settled
        parts.append(f"対応済み・受容 {settled} 件×{SETTLED_MINUTES} 分")
    rounded = int(math.ceil(total / ROUND_TO) * ROUND_TO)
    return rounded, f"約 {rounded} 分: " + "＋".join(parts) + f"＝{total} 分を {ROUND_TO} 分単位に切り上げ。"


def assess(findings: Sequence["Finding"], proposal: "ProposalSummary | str") -> Assessment:
    """Predict the council's outcome and the deliberation time for one proposal.

    `proposal` is the ProposalSummary (its `procedure` is used) or the procedure itself
    ("consultation" / "report").
    """
    procedure = proposal if isinstance(proposal, str) else proposal.procedure
    outcome, why = predict_outcome(findings)
    minutes, how = estimate_minutes(findings, procedure)
    return Assessment(outcome=outcome, label=OUTCOME_LABELS[outcome], estimated_minutes=minutes,
                      reasons=[why, how])
