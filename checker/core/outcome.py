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

Minutes = base + per topic the council is expected to raise, rounded to the nearest 5 (at least 5):
  BASE_MINUTES (3, the department's explanation) + MINUTES_PER_TOPIC (3.3) x the expected number of
  topics raised, i.e. the sum over the topics of the open findings of the chance that the council
  raises the topic (checker/likelihood.topic_chance of the findings' likelihoods). A finding that is
  covered or accepted is settled before the meeting and adds nothing.
Fitted on the recorded minutes per item in gold.yaml (share of the record x meeting length:
000 40 min / 4 items, 001 90 / 6, 002 100 / 6, 003 150 / 41 items in 6 blocks, 004 127 / 3 with
the third carried over): among the (base, per-topic) pairs whose sum over the 32 judged items stays
within 10 % of the recorded total (an agenda adds the items up), the one with the least mean
absolute error per item (figures in tests/test_outcome_seeds.py). Counting expected topics rather
than findings means that ten unlikely findings weigh less than two that councils almost always ask
about, and several findings on one topic are one conversation. The model undershoots a contested
deferral (004 (2): ~80 min recorded), so a deferral-risk item belongs early on an agenda.
A high finding that councils almost never raise (likelihood below MIN_LIKELIHOOD) does not make an
outcome worse; every high finding in today's catalogue is above it.
`MEETING_OVERHEAD_MINUTES` is the opening/closing time an agenda sum should add per meeting.
"""
from __future__ import annotations

from typing import Sequence

from checker.core.findings import OUTCOME_LABELS, Assessment, Finding, Outcome, ProposalSummary
from checker.core.likelihood import topic_chance

DEFERRAL_TOPICS = 2            # deferral-kind findings on this many topics make a deferral likely
MIN_LIKELIHOOD = 0.2           # a high finding less likely than this to be raised does not count
BASE_MINUTES = 3.0             # the department's explanation
MINUTES_PER_TOPIC = 3.3        # per topic the council is expected to raise
ROUND_TO = 5
MEETING_OVERHEAD_MINUTES = 10  # opening, previous minutes, closing: add once per meeting


def _ids(findings: Sequence[Finding]) -> str:
    return "、".join(f.rule_id for f in findings)


def _counts(f: Finding) -> bool:
    return f.status == "open" and f.likelihood >= MIN_LIKELIHOOD


def _is_deferral(f: Finding) -> bool:
    return _counts(f) and f.deferral and f.residual_severity == "high"


def predict_outcome(findings: Sequence[Finding], procedure: str = "consultation") -> tuple[Outcome, str]:
    """The outcome and the one-line reason for it."""
    open_ = [f for f in findings if f.status == "open"]
    deferral = [f for f in open_ if _is_deferral(f)]
    if len({f.topic for f in deferral}) >= DEFERRAL_TOPICS:
        return "deferral_risk", (f"継続審議になりやすい重要度「高」の指摘が複数の論点にわたって未対応のため（{_ids(deferral)}）、"
                                 "追加資料を求められるおそれがあります。")
    high = [f for f in open_ if f.residual_severity == "high" and _counts(f)]
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


def expected_topics(findings: Sequence[Finding]) -> float:
    """How many topics the council is expected to raise about the open findings."""
    by_topic: dict[str, list[float]] = {}
    for f in findings:
        if f.status == "open":
            for topic in (f.topic, *f.also_topics):
                by_topic.setdefault(topic, []).append(f.likelihood)
    return sum(topic_chance(values) for values in by_topic.values())


def estimate_minutes(findings: Sequence[Finding], procedure: str = "consultation") -> tuple[int, str]:
    """Estimated deliberation minutes and the one-line breakdown."""
    topics = expected_topics(findings)
    total = BASE_MINUTES + MINUTES_PER_TOPIC * topics
    rounded = max(ROUND_TO, ROUND_TO * int(total / ROUND_TO + 0.5))   # half up, not banker's rounding
    return rounded, (f"約{rounded}分: 担当課の説明{BASE_MINUTES:g}分＋問われそうな論点{topics:.1f}件×"
                     f"{MINUTES_PER_TOPIC:g}分＝{total:.0f}分を{ROUND_TO}分単位に丸めた目安。論点の件数は、"
                     "未対応の指摘の論点ごとに問われる見込みを足したもの。")


def assess(findings: Sequence[Finding], proposal: ProposalSummary | str) -> Assessment:
    """Predict the council's outcome and the deliberation time for one proposal.

    `proposal` is the ProposalSummary (its `procedure` is used) or the procedure itself
    ("consultation" / "report").
    """
    procedure = proposal if isinstance(proposal, str) else proposal.procedure
    outcome, why = predict_outcome(findings, procedure)
    minutes, how = estimate_minutes(findings, procedure)
    return Assessment(outcome=outcome, label=OUTCOME_LABELS[outcome], estimated_minutes=minutes,
                      reasons=[why, how])
