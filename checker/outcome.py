"""Predicted outcome and deliberation minutes: a small, transparent model (rules and a sum).

Why a fixed model: a department must be able to see *why* the report predicts 継続審議, and the
secretariat must be able to redo the sum for an agenda by hand. Every number is below and in README.

Outcome (first rule that applies wins; "open" = status open, incl. an expired risk acceptance;
severity = residual severity after the declared safeguards):
  1. 継続審議の可能性 (deferral_risk)  an open **high** finding of the deferral kind
     (`Finding.deferral`: undeclared sensitive data, a bridge into the My Number segment, material the
     council asked for and the proposal lacks). Seed 004 item (2) was deferred for exactly these.
  2. 条件付き承認 (approved_with_conditions)  any other open high finding in a 諮問. Seeds 000 (1),
     002 (1) and 002 (2) were approved on condition that an unresolved high-risk point be fixed.
     A 報告 is never approved "on condition": in all seed minutes the council noted every report
     (000 (4), 001 ③-⑥, 002 (5)/(6), all 報告 of 003), even when it criticised one (001 ⑥).
  3. 承認 (approved)  otherwise; open findings become the council's remarks (意見), as in
     000 (2)/(3) and 001 ①. For a 報告 "approved" means the report is noted (報告了承).

Minutes = base per procedure + per open finding by residual severity, rounded up to a multiple of 5
(rounded up because an agenda that overruns defers the last item, as 004 (3) was):
  base 諮問 8, 報告 6; open high 5, open high of the deferral kind 15, medium 1, low 0.
Calibration on the seed minutes: per item, its share of the record x the meeting length
  000: 40 min / 4 items (5-17 min each); 001: 90 min / 6 items (8-23 min);
  002: 100 min / 6 items (7-29 min, the child-consultation migration with two conditions the
  longest); 003: 150 min / 41 items in 6 blocks (most noted without a question, ~4 min each);
  004: 127 min / 3 items: (1) ~30 min, (2) ~97 min and deferred, (3) carried over for lack of time.
Medium findings are common in every item, long or short, so they weigh little; high ones and
above all the deferral kind make an item long. tests/test_outcome_seeds.py prints predicted vs
recorded outcome and minutes for every seed proposal. The model undershoots a contested deferral
(004 (2): ~97 min), so put a deferral-risk item early on the agenda.
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
BASE_MINUTES = {"consultation": 8, "report": 6}
OPEN_MINUTES = {"high": 5, "medium": 1, "low": 0}
DEFERRAL_MINUTES = 15          # an open high finding of the deferral kind (replaces OPEN_MINUTES["high"])
SETTLED_MINUTES = 0            # covered or accepted finding: settled before the meeting
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


def predict_outcome(findings: Sequence["Finding"], procedure: str = "consultation") -> tuple[Outcome, str]:
    """The outcome and the one-line reason for it."""
    open_ = [f for f in findings if f.status == "open"]
    deferral = [f for f in open_ if f.deferral and f.residual_severity == "high"]
    if deferral:
        return "deferral_risk", (f"継続審議になりやすい種類の重要度「高」の指摘（{_ids(deferral)}）が未対応のため、"
                                 "追加資料を求められるおそれがあります。")
    high = [f for f in open_ if f.residual_severity == "high"]
    if high and procedure != "report":
        return "approved_with_conditions", (f"重要度「高」の指摘（{_ids(high)}）が未対応のため、"
                                            "措置を講じることを条件に承認される見込みです。")
    if high:
        return "approved", (f"報告には条件が付かないため了承される見込みですが、重要度「高」の指摘（{_ids(high)}）"
                            "には意見が付く可能性があります。")
    if open_:
        return "approved", f"未対応の指摘（{_ids(open_)}）は重要度が中・低のため、意見が付く程度で承認される見込みです。"
    return "approved", "未対応の指摘がないため、承認される見込みです。"


def estimate_minutes(findings: Sequence["Finding"], procedure: str) -> tuple[int, str]:
    """Estimated deliberation minutes and the one-line breakdown (parts weighing 0 are left out)."""
    base = BASE_MINUTES.get(procedure, BASE_MINUTES["consultation"])
    parts = [f"基本 {base} 分（{'報告' if procedure == 'report' else '諮問'}）"]
    counts: dict[str, int] = {"deferral": 0, "high": 0, "medium": 0, "low": 0, "settled": 0}
    for f in findings:
        if f.status != "open":
            counts["settled"] += 1
        elif f.deferral and f.residual_severity == "high":
            counts["deferral"] += 1
        else:
            counts[f.residual_severity] += 1
    weights = [("deferral", "継続審議になりやすい指摘 ", DEFERRAL_MINUTES)] + \
        [(sev, f"未対応（{_SEV[sev]}）", OPEN_MINUTES[sev]) for sev in ("high", "medium", "low")] + \
        [("settled", "対応済み・受容 ", SETTLED_MINUTES)]
    total = base
    for key, name, weight in weights:
        if counts[key] and weight:
            total += weight * counts[key]
            parts.append(f"{name}{counts[key]} 件×{weight} 分")
    rounded = int(math.ceil(total / ROUND_TO) * ROUND_TO)
    return rounded, f"約 {rounded} 分: " + "＋".join(parts) + f"＝{total} 分を {ROUND_TO} 分単位に切り上げ。"


def assess(findings: Sequence["Finding"], proposal: "ProposalSummary | str") -> Assessment:
    """Predict the council's outcome and the deliberation time for one proposal.

    `proposal` is the ProposalSummary (its `procedure` is used) or the procedure itself
    ("consultation" / "report").
    """
    procedure = proposal if isinstance(proposal, str) else proposal.procedure
    outcome, why = predict_outcome(findings, procedure)
    minutes, how = estimate_minutes(findings, procedure)
    return Assessment(outcome=outcome, label=OUTCOME_LABELS[outcome], estimated_minutes=minutes,
                      reasons=[why, how])
