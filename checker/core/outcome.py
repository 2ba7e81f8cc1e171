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
A third-party review of a specific PIA (kinds: [pia_review]) is an opinion, not an approval:
  修正を要する (corrections_required) with any open high or medium finding, 留意事項あり (remarks) with
  open low ones only, 指摘事項なし (no_remarks) otherwise (review_opinion_outcome).
Calibration (tests/seeds/gold.yaml, 32 items judged on their merits, rule base of 2026-11-23): the
rule taken literally ("any open deferral-kind high finding means deferral") agreed on 21 of 32;
this version on 24, without ever predicting a milder outcome than the record (see the test output).

Minutes = base + per topic the council is expected to raise, rounded to the nearest 5 (at least 5):
  BASE_MINUTES (3, the department's explanation) + MINUTES_PER_TOPIC (3.3) x the expected number of
  topics raised, i.e. the sum over the topics of the open findings of the chance that the council
  raises the topic (checker/likelihood.topic_figure of the findings' scores). A finding that is
  covered or accepted is settled before the meeting and adds nothing.
Fitted on the recorded minutes per item in gold.yaml (share of the record x meeting length:
000 40 min / 4 items, 001 90 / 6, 002 100 / 6, 003 150 / 41 items in 6 blocks, 004 127 / 3 with
the third carried over): among the (base, per-topic) pairs whose sum over the 32 judged items stays
within 10 % of the recorded total (an agenda adds the items up), the one with the least mean
absolute error per item (figures in tests/test_outcome_seeds.py). Counting expected topics rather
than findings means that ten unlikely findings weigh less than two that councils almost always ask
about, and several findings on one topic are one conversation. The model undershoots a contested
deferral (004 (2): ~80 min recorded), so a deferral-risk item belongs early on an agenda.
A high finding that councils almost never raise (score below MIN_LIKELIHOOD) does not make an
outcome worse; every high finding in today's catalogue is above it.
`MEETING_OVERHEAD_MINUTES` is the opening/closing time an agenda sum should add per meeting.

A council's own record (`shingikai rules calibrate --records`) refits DEFERRAL_TOPICS and the two
minutes figures for that council (`OutcomeModel`, `fit`), these seed-derived values being the prior.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Sequence

from checker.core.findings import OUTCOME_LABELS, Assessment, Finding, Outcome, ProposalSummary
from checker.core.likelihood import topic_figure

DEFERRAL_TOPICS = 2            # deferral-kind findings on this many topics make a deferral likely
MIN_LIKELIHOOD = 0.2           # a high finding less likely than this to be raised does not count
BASE_MINUTES = 3.0             # the department's explanation
MINUTES_PER_TOPIC = 3.3        # per topic the council is expected to raise
ROUND_TO = 5
MEETING_OVERHEAD_MINUTES = 10  # opening, previous minutes, closing: add once per meeting


PRIOR_ITEMS = 8               # the seed-derived figures weigh as much as this many recorded items


@dataclass(frozen=True)
class OutcomeModel:
    """The figures a council's record may refit (the defaults are the seed-derived ones above)."""

    deferral_topics: int = DEFERRAL_TOPICS
    base_minutes: float = BASE_MINUTES
    minutes_per_topic: float = MINUTES_PER_TOPIC

    def as_data(self) -> dict:
        return {"deferral_topics": self.deferral_topics, "base_minutes": self.base_minutes,
                "minutes_per_topic": self.minutes_per_topic}

    @classmethod
    def from_data(cls, data: dict | None) -> "OutcomeModel":
        data = data or {}
        return cls(int(data.get("deferral_topics", DEFERRAL_TOPICS)), float(data.get("base_minutes", BASE_MINUTES)),
                   float(data.get("minutes_per_topic", MINUTES_PER_TOPIC)))


SEED_MODEL = OutcomeModel()


class RecordedItem(NamedTuple):
    """One recorded item as the outcome fit sees it: the findings, the procedure and what happened."""

    findings: Sequence[Finding]
    procedure: str
    outcome: str | None     # approved / approved_with_conditions / deferral_risk; None = not judged
    minutes: int | None


def fit(items: Sequence[RecordedItem], prior: OutcomeModel = SEED_MODEL) -> OutcomeModel:
    """The outcome and minutes figures for one council's record, with `prior` worth PRIOR_ITEMS items.

    deferral_topics: the value (1-3) whose predictions agree with the most judged items, the prior's
    value on a tie. Minutes: least squares of base + per-topic x expected topics on the record, then
    averaged with the prior's figures, weighted by the number of timed items and PRIOR_ITEMS.
    """
    judged = [i for i in items if i.outcome]
    agree = {n: sum(predict_outcome(i.findings, i.procedure, OutcomeModel(deferral_topics=n))[0] == i.outcome
                    for i in judged) for n in (1, 2, 3)}
    best = max(agree.values(), default=0)
    deferral = prior.deferral_topics if agree.get(prior.deferral_topics) == best else min(
        n for n, v in agree.items() if v == best)
    timed = [(expected_topics(i.findings), float(i.minutes)) for i in items if i.minutes]
    base, per = prior.base_minutes, prior.minutes_per_topic
    if len(timed) >= 2:
        mx = sum(x for x, _ in timed) / len(timed)
        my = sum(y for _, y in timed) / len(timed)
        sxx = sum((x - mx) ** 2 for x, _ in timed)
        fit_per = sum((x - mx) * (y - my) for x, y in timed) / sxx if sxx else per
        fit_per = max(0.0, fit_per)
        fit_base = max(0.0, my - fit_per * mx)
        n = len(timed)
        base = (n * fit_base + PRIOR_ITEMS * base) / (n + PRIOR_ITEMS)
        per = (n * fit_per + PRIOR_ITEMS * per) / (n + PRIOR_ITEMS)
    return OutcomeModel(deferral, round(base, 1), round(per, 2))


def _ids(findings: Sequence[Finding]) -> str:
    return "、".join(f.rule_id for f in findings)


def _counts(f: Finding) -> bool:
    return f.status == "open" and f.score >= MIN_LIKELIHOOD


def _is_deferral(f: Finding) -> bool:
    return _counts(f) and f.deferral and f.residual_severity == "high"


def predict_outcome(findings: Sequence[Finding], procedure: str = "consultation",
                    model: OutcomeModel = SEED_MODEL) -> tuple[Outcome, str]:
    """The outcome and the one-line reason for it."""
    open_ = [f for f in findings if f.status == "open"]
    deferral = [f for f in open_ if _is_deferral(f)]
    if len({f.topic for f in deferral}) >= model.deferral_topics:
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


def review_opinion_outcome(findings: Sequence[Finding]) -> tuple[Outcome, str]:
    """A third-party review of a specific PIA does not approve: it states whether the assessment needs
    corrections (open high or medium findings), has points to keep in mind (open low ones) or neither."""
    open_ = [f for f in findings if f.status == "open"]
    serious = [f for f in open_ if f.residual_severity in ("high", "medium")]
    if serious:
        return "corrections_required", (f"評価書の修正を要する指摘（{_ids(serious)}）があるため、点検の意見は"
                                        "指摘事項を付したものになる見込みです。")
    if open_:
        return "remarks", f"修正を要する指摘はなく、留意事項（{_ids(open_)}）を意見として付す見込みです。"
    return "no_remarks", "未対応の指摘がないため、指摘事項のない点検の意見になる見込みです。"


def expected_topics(findings: Sequence[Finding]) -> float:
    """How many topics the council is expected to raise about the open findings, counted on the
    findings' scores (what the minutes model was fitted on; the shown figures are recalibrated)."""
    by_topic: dict[str, list[tuple[float, int, int]]] = {}
    for f in findings:
        if f.status == "open":
            for topic in (f.topic, *f.also_topics):
                by_topic.setdefault(topic, []).append((f.score, f.likelihood_n, f.likelihood_k))
    return sum(topic_figure(values) for values in by_topic.values())


def estimate_minutes(findings: Sequence[Finding], procedure: str = "consultation",
                     model: OutcomeModel = SEED_MODEL) -> tuple[int, str]:
    """Estimated deliberation minutes and the one-line breakdown."""
    topics = expected_topics(findings)
    total = model.base_minutes + model.minutes_per_topic * topics
    rounded = max(ROUND_TO, ROUND_TO * int(total / ROUND_TO + 0.5))   # half up, not banker's rounding
    return rounded, (f"約{rounded}分: 担当課の説明{model.base_minutes:g}分＋問われそうな論点{topics:.1f}件×"
                     f"{model.minutes_per_topic:g}分＝{total:.0f}分を{ROUND_TO}分単位に丸めた目安。論点の件数は、"
                     "未対応の指摘の論点ごとに問われる見込みを足したもの。")


def assess(findings: Sequence[Finding], proposal: ProposalSummary | str,
           model: OutcomeModel = SEED_MODEL) -> Assessment:
    """Predict the council's outcome and the deliberation time for one proposal.

    `proposal` is the ProposalSummary (its `procedure` is used) or the procedure itself
    ("consultation" / "report").
    """
    procedure = proposal if isinstance(proposal, str) else proposal.procedure
    if not isinstance(proposal, str) and "pia_review" in proposal.kinds:
        outcome, why = review_opinion_outcome(findings)
    else:
        outcome, why = predict_outcome(findings, procedure, model)
    minutes, how = estimate_minutes(findings, procedure, model)
    return Assessment(outcome=outcome, label=OUTCOME_LABELS[outcome], estimated_minutes=minutes,
                      reasons=[why, how])
