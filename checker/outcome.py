"""Predicted outcome and deliberation minutes: a small, transparent model (rules and a sum).

Why a fixed model: a department must be able to see *why* the report predicts 継続審議, and the
secretariat must be able to redo the sum for an agenda by hand. Every number is below and in the
README; tests/test_outcome_seeds.py prints predicted vs recorded for every seed proposal.

Outcome (first rule that applies wins; "open" = status open, incl. an expired risk acceptance;
severity = residual severity after the declared safeguards; "deferral kind" = `Finding.deferral`:
undeclared sensitive data, a bridge into the My Number segment, material the council asked for):
  1. 継続審議の可能性 (deferral_risk)  open high findings of the deferral kind on at least
     DEFERRAL_TOPICS (2) different topics. Seed 004 (2) was deferred for two stated reasons at once
     (undeclared sensitive data and the segment bridge).
  2. 条件付き承認 (approved_with_conditions)  a 諮問 with any other open high finding, including a
     single one of the deferral kind. Seeds 000 (1), 002 (1), 002 (2) were approved on condition
     that open points be settled; of the seed items with deferral-kind findings on one topic only,
     the council approved or noted all but one (8 items when calibrated; the other: 002 (2), on
     condition). A 報告 is never approved "on condition": the council noted every report in the
     seed minutes (000 (4), 001 ③-⑥, 002 (5)/(6)), even one it criticised (001 ⑥).
  3. 承認 (approved)  otherwise; open findings become the council's remarks (意見).
Calibration (tests/seeds/gold.yaml, 32 items judged on their merits, rule base of 2026-11-23): the
rule taken literally ("any open deferral-kind high finding means deferral") agreed on 21 of 32;
this version on 24, without ever predicting a milder outcome than the record (see the test output).

Minutes = base + per open finding by residual severity, rounded to the nearest 5 (at least 5):
  base 6 (諮問 and 報告 alike: the department's explanation); open high 4, high of the deferral
  kind 5, medium 1, low 0.
Fitted on the recorded minutes per item in gold.yaml (share of the record x meeting length:
000 40 min / 4 items, 001 90 / 6, 002 100 / 6, 003 150 / 41 items in 6 blocks, 004 127 / 3 with
the third carried over): among weights with the least mean absolute error per item (about 7 min,
against 9.4 for the best constant guess), the one whose sum over all items comes closest to the
recorded total (about 8 % short), because an agenda adds the items up. Findings of medium severity
occur in long and short items alike and each adds about a minute. The model undershoots a
contested deferral (004 (2): ~80 min recorded), so a deferral-risk item belongs early on an agenda.
`MEETING_OVERHEAD_MINUTES` is the opening/closing time an agenda sum should add per meeting.
"""
from __future__ import annotations

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
DEFERRAL_TOPICS = 2            # deferral-kind findings on this many topics make a deferral likely
BASE_MINUTES = {"consultation": 6, "report": 6}
OPEN_MINUTES = {"high": 4, "medium": 1, "low": 0}
DEFERRAL_MINUTES = 5           # an open high finding of the deferral kind (instead of OPEN_MINUTES["high"])
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


def _is_deferral(f: "Finding") -> bool:
    return f.status == "open" and f.deferral and f.residual_severity == "high"


def predict_outcome(findings: Sequence["Finding"], procedure: str = "consultation") -> tuple[Outcome, str]:
    """The outcome and the one-line reason for it."""
    open_ = [f for f in findings if f.status == "open"]
    deferral = [f for f in open_ if _is_deferral(f)]
    if len({f.topic for f in deferral}) >= DEFERRAL_TOPICS:
        return "deferral_risk", (f"継続審議になりやすい重要度「高」の指摘が複数の論点にわたって未対応のため（{_ids(deferral)}）、"
                                 "追加資料を求められるおそれがあります。")
    high = [f for f in open_ if f.residual_severity == "high"]
    if high and procedure != "report":
        extra = f"。うち {_ids(deferral)} は資料がないと継続審議になりやすい種類です" if deferral else ""
        return "approved_with_conditions", (f"重要度「高」の指摘（{_ids(high)}）が未対応のため、措置を講じることを"
                                            f"条件に承認される見込みです{extra}。")
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
        elif _is_deferral(f):
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
    rounded = max(ROUND_TO, ROUND_TO * int(total / ROUND_TO + 0.5))   # half up, not banker's rounding
    return rounded, f"約 {rounded} 分: " + "＋".join(parts) + f"＝{total} 分を {ROUND_TO} 分単位に丸めた目安。"


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
