"""The predicted outcome and minutes (checker/core/outcome.py) on small, fixed findings."""
from __future__ import annotations

import pytest

from checker.core import likelihood, outcome
from checker.core.findings import Finding, Location
from checker.core.outcome import assess


def finding(rule_id: str, severity: str = "high", residual: str | None = None, status: str = "open",
            deferral: bool = False, topic: str = "x") -> Finding:
    return Finding(rule_id=rule_id, title="t", topic=topic, topic_label=topic, severity=severity,
                   residual_severity=residual or severity, status=status, deferral=deferral, because="b", likelihood=0.5,
                   questions=["q"], safeguards=[], precedents=[], locations=[Location(path="", line=1, column=1)])


SENSITIVE = finding("SEN-1", deferral=True, topic="sensitive_data")
BRIDGE = finding("NET-1", deferral=True, topic="network_connection")


@pytest.mark.parametrize("findings, expected, label", [
    ([], "approved", "承認"),
    ([finding("A-1", "medium"), finding("A-2", "low")], "approved", "承認"),
    ([finding("A-1", "high")], "approved_with_conditions", "条件付き承認"),
    # One deferral-kind point: approval on condition (as in most seed items); two topics: deferral (004 (2)).
    ([SENSITIVE], "approved_with_conditions", "条件付き承認"),
    ([SENSITIVE, BRIDGE], "deferral_risk", "継続審議の可能性"),
    ([SENSITIVE, finding("SEN-2", deferral=True, topic="sensitive_data")], "approved_with_conditions", "条件付き承認"),
    # A declared safeguard lowered one of them to medium: no longer a deferral risk.
    ([SENSITIVE, finding("NET-1", "high", residual="medium", deferral=True, topic="network_connection")],
     "approved_with_conditions", "条件付き承認"),
    # Covered or accepted findings do not count against the proposal.
    ([finding("S", status="covered", deferral=True, topic="a"), finding("T", status="accepted", deferral=True, topic="b")],
     "approved", "承認"),
])
def test_outcome_follows_the_documented_rules(findings, expected, label) -> None:
    a = assess(findings, "consultation")
    assert (a.outcome, a.label) == (expected, label)
    assert len(a.reasons) == 2 and all("\n" not in r for r in a.reasons)


def test_reason_names_the_findings_behind_the_prediction() -> None:
    a = assess([SENSITIVE, BRIDGE, finding("TRN-001", "medium")], "consultation")
    assert "SEN-1" in a.reasons[0] and "NET-1" in a.reasons[0] and "TRN-001" not in a.reasons[0]
    single = assess([SENSITIVE], "consultation")
    assert "SEN-1" in single.reasons[0] and "継続審議になりやすい" in single.reasons[0]


def test_a_report_is_noted_not_approved_on_condition() -> None:
    a = assess([finding("A-1", "high")], "report")
    assert a.outcome == "approved" and "A-1" in a.reasons[0] and "意見" in a.reasons[0]
    assert assess([SENSITIVE, BRIDGE], "report").outcome == "deferral_risk"


def test_minutes_are_the_documented_sum_rounded_to_five() -> None:
    # three open findings on two topics (0.5 and 0.5 on "x", 0.5 on "y") and a covered one; each rests on
    # 2 raised of 4 recorded items, so its record supports up to 0.5 + 4/8 = 1.0
    recorded = {"likelihood_n": 4, "likelihood_k": 2}
    findings = [f.model_copy(update=recorded) for f in (
        finding("A-1", topic="x"), finding("A-2", "medium", topic="x"), finding("A-3", "low", topic="y"),
        finding("A-4", status="covered", topic="z"))]
    topics = (0.5 + likelihood.BONUS_PER_FINDING) + 0.5    # x: the stronger finding plus one bonus; y: its finding
    total = outcome.BASE_MINUTES + outcome.MINUTES_PER_TOPIC * topics
    a = assess(findings, "consultation")
    assert outcome.expected_topics(findings) == pytest.approx(topics)
    assert a.estimated_minutes == max(5, 5 * int(total / 5 + 0.5))
    assert f"問われそうな論点{topics:.1f}件" in a.reasons[1] and f"＝{total:.0f}分" in a.reasons[1]
    assert assess([], "report").estimated_minutes == 5          # never less than 5 minutes
    many = [finding(f"M-{i}", "medium", topic=f"t{i}") for i in range(10)]
    assert assess(many, "consultation").estimated_minutes > assess(many[:2], "consultation").estimated_minutes
    # findings councils seldom raise weigh less than the same number they usually raise
    seldom = [f.model_copy(update={"likelihood": 0.1, "score": 0.1}) for f in many]
    assert assess(seldom, "consultation").estimated_minutes < assess(many, "consultation").estimated_minutes


def test_a_high_finding_councils_almost_never_raise_does_not_set_the_outcome() -> None:
    seldom = outcome.MIN_LIKELIHOOD / 2
    unlikely = finding("A-1", "high").model_copy(update={"likelihood": seldom, "score": seldom})
    assert assess([unlikely], "consultation").outcome == "approved"
    assert assess([finding("A-1", "high")], "consultation").outcome == "approved_with_conditions"


def test_report_carries_the_assessment(engine) -> None:
    from checker.core.pipeline import check_file
    from .conftest import ROOT
    report = check_file(ROOT / "proposals" / "examples" / "line-e-application-pilot.yaml", engine)
    assert report.assessment is not None
    assert report.as_records()["assessment"]["label"] == report.assessment.label
