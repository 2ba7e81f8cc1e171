"""The third-party review of a specific PIA (issue 12), end to end on the four bundled examples,
and the complete example of every kind (issue 11: well safeguarded means no 高 and few 低)."""
from __future__ import annotations

import re

import pytest

from checker.core.findings import OUTCOME_LABELS
from checker.core.pipeline import check_file
from checker.core.proposal import Kind
from checker.reporters import render
from checker.reporters.report.view import split_findings

from .conftest import ROOT

EXAMPLES = ROOT / "proposals" / "examples"

# What a reviewer would flag in each example, and under which section of the form being reviewed
# (the local-tax example is a 重点項目評価書, whose procedure section is V).
REVIEWS = {
    "pia-resident-register.yaml": {"PIA-009": "III", "PIA-010": "III"},
    "pia-local-tax.yaml": {"PIA-001": "V"},
    "pia-national-health-insurance.yaml": {"PIA-006": "VI", "PIA-009": "III-3", "PIA-011": "III-3"},
    "pia-child-allowance.yaml": {"PIA-002": "VI", "PIA-013": "III-4", "PIA-014": "III-5", "SUB-002": "III-4"},
}
SECTION_ORDER = ["I", "II", "III", "III-2", "III-3", "III-4", "III-5", "III-6", "III-7", "III-8", "IV", "V", "VI"]


@pytest.mark.parametrize("name", sorted(REVIEWS))
def test_review_findings_sit_in_the_sections_of_the_form(engine, name):
    report = check_file(EXAMPLES / name, engine)
    assert "pia_review" in report.proposal.kinds
    by_rule = {rid: f for f in report.findings for rid in f.rules}
    for rule_id, section in REVIEWS[name].items():
        assert rule_id in by_rule, (rule_id, sorted(by_rule))
        assert by_rule[rule_id].is_open and by_rule[rule_id].form_section == section, (rule_id, by_rule[rule_id].form_section)


@pytest.mark.parametrize("name", sorted(REVIEWS))
def test_review_report_groups_by_section_and_summarises_the_draft(engine, name):
    report = check_file(EXAMPLES / name, engine)
    for fmt in ("md", "html"):
        out = render("report", fmt, [report])
        assert "評価書の節別" in out and "第三者点検の意見（案）" in out
        findings_part = out[out.index("3. 想定質問"):out.index("第三者点検の意見（案）")]
        # the sections of the findings shown in full appear in the form's order
        detailed = split_findings(report)[0]
        labels = [f.form_section_label for f in detailed]
        shown = sorted({f.form_section for f in detailed}, key=SECTION_ORDER.index)
        positions = [findings_part.index(next(f.form_section_label for f in detailed if f.form_section == s))
                     for s in shown]
        assert positions == sorted(positions) and labels
        opinion = out[out.index("第三者点検の意見（案）"):]
        serious = [f for f in report.findings if f.is_open and f.residual_severity in ("high", "medium")]
        assert "指摘事項（修正を要する）" in opinion and "draft_md" in opinion
        for f in serious:                    # every serious finding is a numbered point with its section
            assert f.rule_id in opinion and f.form_section_label in opinion
        assert ("修正を要する。ただし" in opinion) == bool(serious)
        assert report.assessment.label == (OUTCOME_LABELS["corrections_required"] if serious else OUTCOME_LABELS["remarks"])


def test_the_opinion_speaks_the_reviewers_language(engine):
    report = check_file(EXAMPLES / "pia-child-allowance.yaml", engine)
    md = render("report", "md", [report])
    opinion = md[md.index("### 指摘事項"):md.index("### 意見")]          # the corrections, before the remarks
    points = re.findall(r"^\d+\. （(.+?)）(.+?)［(.+?)］$", opinion, re.M)
    assert points, opinion
    assert all(text.rstrip().endswith("こと。") for _, text, _ in points)      # each an instruction
    assert any("番号法第19条" in text for _, text, _ in points)                # PIA-014 names the article
    def section(label: str) -> str:       # 「III 4 …」 -> III-4, 「VI …」 -> VI
        head, second = label.split(" ")[:2]
        return f"{head}-{second}" if head == "III" and second.isdigit() else head
    # in the order of the draft: the conformity points (procedure, VI) first, then the measures in the form's order
    order = [section(label) for label, _, _ in points]
    assert order[0] == "VI" and [SECTION_ORDER.index(s) for s in order[1:]] == sorted(SECTION_ORDER.index(s) for s in order[1:])


def test_a_clean_review_is_an_opinion_not_an_approval(engine):
    report = check_file(EXAMPLES / "complete-pia_review.yaml", engine)
    md = render("report", "md", [report])
    assert "指摘事項はありません。" in md and "適合し（適合性）" in md
    assert report.assessment.label == OUTCOME_LABELS["remarks"]      # one remark: the storage issue's deadline
    assert "承認" not in md[md.index("## 1. 概要"):md.index("## 2.")]


@pytest.mark.parametrize("kind", [k.value for k in Kind])
def test_a_complete_example_of_each_kind_yields_no_high_and_few_low(engine, kind):
    path = EXAMPLES / f"complete-{kind}.yaml"
    report = check_file(path, engine)
    assert kind in report.proposal.kinds
    open_ = [f for f in report.open_findings]
    assert not [f.rule_id for f in open_ if f.residual_severity == "high"]
    assert len([f for f in open_ if f.residual_severity == "medium"]) <= 1, [f.rule_id for f in open_]
    assert len([f for f in open_ if f.residual_severity == "low"]) <= 3, [f.rule_id for f in open_]
    assert report.summary.risk in ("none", "low", "medium")
