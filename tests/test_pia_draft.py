"""The draft result of a third-party review (点検結果・答申案, issue 20): section by section for every
bundled PIA example in golden files, each form in its own layout, dates compared, national
infrastructure left alone, each point once, and no rule id or field name in the body.

The golden drafts are rendered from the live rule base, so a rule edit that changes what a review
says moves them. Regenerate after an intended change, then read the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_pia_draft.py
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from checker.core.findings import OUTCOME_LABELS
from checker.core.pipeline import check_file, check_text
from checker.reporters import render
from checker.reporters.report.draft import draft, wareki

from .conftest import ROOT

EXAMPLES = ROOT / "proposals" / "examples"
GOLDEN = Path(__file__).parent / "golden_pia"
PIA_EXAMPLES = sorted(p.name for p in EXAMPLES.glob("*.yaml") if "pia_review" in p.read_text(encoding="utf-8"))
HEADINGS = ["## 1　点検の対象", "## 2　点検の方法", "## 3　点検の結果", "### (1)　適合性", "### (2)　妥当性",
            "## 4　結論", "## 5　指摘事項（修正を要する）", "## 6　意見（留意されたい）"]
FULL_ONLY = {"II 特定個人情報ファイルの概要", "III 2 特定個人情報の入手", "III 4 特定個人情報ファイルの取扱いの委託",
             "VI 評価実施手続", "I 基本情報", "IV その他のリスク対策（監査、従業者に対する教育・啓発）"}
RULE_ID = re.compile(r"\b[A-Z]{2,4}-\d{3}\b")
FIELD_NAME = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\b[a-z]+\.[a-z_]+\b")


def body(md: str) -> str:
    """The draft without its appendix for the secretariat (which names the rules on purpose)."""
    return md[:md.index("付録（事務局用")]


def variant(name: str, tmp_path: Path, **pia_changes) -> Path:
    """A copy of a bundled example with some of its pia: fields changed (the original stays untouched)."""
    data = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    data["pia"].update(pia_changes)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_every_pia_example_is_covered() -> None:
    assert len(PIA_EXAMPLES) >= 5 and "complete-pia_review.yaml" in PIA_EXAMPLES


@pytest.mark.parametrize("name", PIA_EXAMPLES)
def test_draft_matches_golden_file_section_by_section(engine, name) -> None:
    md = render("report", "draft_md", [check_file(EXAMPLES / name, engine)])
    positions = [md.index(h) for h in HEADINGS]
    assert positions == sorted(positions), "sections 1 to 6 in order"
    path = GOLDEN / name.replace(".yaml", ".md")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(md, encoding="utf-8")
    assert path.exists(), f"{path} がありません。UPDATE_GOLDEN=1 pytest tests/test_pia_draft.py で作成してください。"
    golden = path.read_text(encoding="utf-8")
    # compared section by section, so a failure names the section that moved
    for head, nxt in zip(HEADINGS, HEADINGS[1:] + ["付録"]):
        part = md[md.index(head):md.index(nxt)]
        assert part == golden[golden.index(head):golden.index(nxt)], f"{name}: 「{head}」が変わりました"
    assert md == golden


@pytest.mark.parametrize("name", PIA_EXAMPLES)
def test_no_rule_id_or_field_name_in_the_body_and_no_project_spacing(engine, name) -> None:
    md = render("report", "draft_md", [check_file(EXAMPLES / name, engine)])
    text = body(md)
    assert not RULE_ID.findall(text)
    assert not FIELD_NAME.findall(text), FIELD_NAME.findall(text)
    # office spacing: no space between Japanese text and numerals (the forms' own section names aside)
    labels = {f.form_section_label for f in check_file(EXAMPLES / name, engine).findings}
    labels |= {s.section_label for s in check_file(EXAMPLES / name, engine).proposal.pia.stages}
    plain = text
    for label in sorted(labels, key=len, reverse=True):
        plain = plain.replace(label, "")
    assert not re.findall(r"[^\x00-\x7f] [0-9]|[0-9] [^\x00-\x7f|]", plain)
    assert not re.findall(r"20\d\d-\d\d-\d\d", text)                         # dates in the Japanese era
    assert "令和" in text
    if "付録" in md:
        appendix = md[md.index("付録"):]
        report = check_file(EXAMPLES / name, engine)
        for f in report.open_findings:
            assert f.rule_id in appendix


@pytest.mark.parametrize("name", PIA_EXAMPLES)
def test_each_point_once_under_its_section(engine, name) -> None:
    report = check_file(EXAMPLES / name, engine)
    d = draft(report)
    items = d.corrections + d.remarks
    texts = [i.text for i in items]
    assert len(texts) == len(set(texts))
    rules = [r for i in items for r in i.rules]
    assert len(rules) == len(set(rules)), "a rule in two points"
    open_rules = {r for f in report.open_findings for r in f.rules}
    assert set(rules) == open_rules, "every open finding is a point"
    referred = [it.ref for pt in d.conformity + d.appropriateness for it in pt.items]
    assert sorted(referred) == sorted(i.ref for i in items), "each point referred to once in section 3"
    md = render("report", "draft_md", [report])
    for i in items:
        assert body(md).count(i.text) == 1


def test_reentrustment_is_one_point(engine) -> None:
    """SUB-002 and PIA-013 both ask for the city's approval of re-entrustment: one point."""
    d = draft(check_file(EXAMPLES / "pia-child-allowance.yaml", engine))
    holding = [i for i in d.corrections + d.remarks if "SUB-002" in i.rules or "PIA-013" in i.rules]
    assert len(holding) == 1 and {"SUB-002", "PIA-013"} <= set(holding[0].rules)
    assert holding[0].section == "III 4 特定個人情報ファイルの取扱いの委託"


def test_threshold_is_one_point_with_the_computed_figures(engine) -> None:
    report = check_file(EXAMPLES / "pia-local-tax.yaml", engine)
    d = draft(report)
    threshold = d.conformity[0]
    assert threshold.heading == "しきい値判断"
    assert "対象人数は156,000人" in threshold.confirmed[0] and "510人" in threshold.confirmed[0]
    assert "基礎項目評価及び全項目評価" in threshold.confirmed[0]
    assert len(threshold.items) == 1 and {"PIA-001", "MYN-013"} <= set(threshold.items[0].rules)
    assert threshold.items[0].ref.startswith("5(")


def test_a_basic_assessment_is_filed_under_the_basic_form(engine, tmp_path) -> None:
    path = variant("pia-resident-register.yaml", tmp_path, level="basic")
    report = check_file(path, engine)
    labels = {f.form_section_label for f in report.findings}
    assert labels and labels <= {"I 関連情報", "II しきい値判断項目", "III しきい値判断結果", "IV リスク対策"}, labels
    assert not labels & FULL_ONLY
    d = draft(report)
    assert "第三者点検は義務付けられていない" in d.review_note and "任意" in d.review_note
    assert all(pt.heading in ("評価の担当部署", "事務の内容と特定個人情報の流れ", "I 関連情報", "IV リスク対策")
               for pt in d.appropriateness), [pt.heading for pt in d.appropriateness]
    md = render("report", "md", [report])
    for label in FULL_ONLY:
        assert label not in md


def test_only_the_full_assessment_makes_the_review_mandatory(engine) -> None:
    full = draft(check_file(EXAMPLES / "complete-pia_review.yaml", engine))
    focused = draft(check_file(EXAMPLES / "pia-local-tax.yaml", engine))
    assert "義務付けられている" in full.review_note and "規則第7条" in full.review_note
    assert "義務付けられていない" in focused.review_note


def test_a_change_dated_before_the_review_is_a_conformity_remark(engine, tmp_path) -> None:
    """Whatever `timing` says: the change went live before the council reviews the assessment."""
    path = variant("complete-pia_review.yaml", tmp_path, timing="before", dated_changes=[
        {"what": "予防接種システムのガバメントクラウドへの移行", "go_live": "2026-01-04"}])
    report = check_file(path, engine)
    finding = next(f for f in report.open_findings if "PIA-019" in f.rules)
    assert finding.residual_severity == "medium" and finding.review_point == "timing"
    d = draft(report)
    timing = next(pt for pt in d.conformity if pt.heading == "実施の時期")
    assert timing.items and timing.items[0].ref.startswith("5(")
    assert "ガバメントクラウドへの移行」は令和9年" not in " ".join(timing.confirmed)
    assert report.assessment.label == OUTCOME_LABELS["corrections_required"]
    assert "ただし" in d.conclusion and "修正を要する" in d.conclusion


def test_the_same_change_assessed_before_it_went_live_is_confirmed(engine, tmp_path) -> None:
    path = variant("complete-pia_review.yaml", tmp_path, dated_changes=[
        {"what": "予防接種システムのガバメントクラウドへの移行", "go_live": "2026-01-04", "assessed": "2025-10-01"}])
    report = check_file(path, engine)
    assert not [f for f in report.open_findings if "PIA-019" in f.rules]
    timing = next(pt for pt in draft(report).conformity if pt.heading == "実施の時期")
    assert any("令和7年10月1日に評価書を公表している" in c for c in timing.confirmed)


def test_a_comment_period_open_at_the_review_is_a_remark(engine, tmp_path) -> None:
    path = variant("complete-pia_review.yaml", tmp_path,
                   public_comment={"start": "2026-09-20", "end": "2026-10-21", "comments": 0})
    report = check_file(path, engine)
    assert [f for f in report.open_findings if "PIA-020" in f.rules]


def test_the_five_year_checkpoint_is_stated(engine) -> None:
    d = draft(check_file(EXAMPLES / "complete-pia_review.yaml", engine))
    timing = next(pt for pt in d.conformity if pt.heading == "実施の時期")
    assert any("5年を経過する日（令和8年11月30日）より前" in c for c in timing.confirmed)


NATIONAL_LINKS = ["情報提供ネットワークシステムを通じた照会元", "中間サーバー（地方公共団体情報システム機構）",
                  "住基ネット（住民基本台帳ネットワークシステム）", "eLTAX を通じた特別徴収義務者", "国税連携による所轄の税務署"]


@pytest.mark.parametrize("recipient", NATIONAL_LINKS)
def test_national_infrastructure_is_not_questioned_as_an_outside_connection(engine, recipient) -> None:
    text = yaml.safe_dump({
        "id": "national-link", "title": "国の基盤との接続", "procedure": "consultation", "kinds": ["pia_review"], "business": "例示の事務",
        "purpose": "評価書の点検", "pia": {"work": "例示の事務", "level": "full"},
        "provisions": [{"recipient": recipient, "legal_basis": "番号法第19条第8号", "online": True}]},
        allow_unicode=True)
    report = check_text(text, "national-link.yaml", engine)
    assert not [f.rule_id for f in report.findings if f.topic == "network_connection" or "NET-006" in f.rules]


def test_an_ordinary_online_partner_is_still_questioned(engine) -> None:
    text = yaml.safe_dump({
        "id": "vendor-link", "title": "外部との接続", "procedure": "consultation", "kinds": ["external_linkage"], "business": "例示の事務",
        "purpose": "情報の共有", "provisions": [{"recipient": "民間事業者の予約システム", "legal_basis": "条例", "online": True}]},
        allow_unicode=True)
    report = check_text(text, "vendor-link.yaml", engine)
    assert [f for f in report.findings if "NET-006" in f.rules]


def test_income_in_a_local_tax_assessment_is_not_asked_to_be_dropped(engine) -> None:
    report = check_file(EXAMPLES / "pia-local-tax.yaml", engine)
    assert not [f for f in report.findings if {"SEN-002", "MIN-002"} & set(f.rules)]


def test_a_remaining_issue_asks_for_its_deadline(engine) -> None:
    d = draft(check_file(EXAMPLES / "complete-pia_review.yaml", engine))
    assert any("期限" in i.text and "保管・消去" in i.text for i in d.remarks)


def test_dates_are_written_in_the_japanese_era() -> None:
    import datetime as dt
    assert wareki(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert wareki(dt.date(2019, 4, 30)) == "平成31年4月30日"
    assert wareki(dt.date(2026, 10, 15)) == "令和8年10月15日"


def test_other_kinds_have_no_draft(engine) -> None:
    report = check_file(EXAMPLES / "complete-outsourcing.yaml", engine)
    assert draft(report) is None
    for fmt in ("draft_md", "draft_html"):
        assert "点検結果の案はありません" in render("report", fmt, [report])


def test_html_draft_carries_the_same_points(engine) -> None:
    report = check_file(EXAMPLES / "pia-child-allowance.yaml", engine)
    html = render("report", "draft_html", [report])
    d = draft(report)
    assert "<h2>5\u3000指摘事項（修正を要する）</h2>" in html
    for i in d.corrections + d.remarks:
        assert i.text in html
    assert "<script" not in html


def test_a_guidance_only_rule_says_its_figure_is_not_a_record(engine) -> None:
    report = check_file(EXAMPLES / "complete-pia_review.yaml", engine)
    finding = next(f for f in report.findings if "PIA-018" in f.rules)
    assert "国の指針" in finding.likelihood_label and finding.likelihood_n == 0
    seeded = next(f for f in report.findings if "SEN-004" in f.rules)      # a rule with council precedents
    assert "国の指針" not in seeded.likelihood_label and seeded.likelihood_n > 0


def test_stage_depth_asks_for_the_operation_behind_the_words(engine) -> None:
    """The child-allowance use stage keeps and reviews its logs but does not say how misuse is found."""
    d = draft(check_file(EXAMPLES / "pia-child-allowance.yaml", engine))
    use = next(i for i in d.remarks if i.section == "III 3 特定個人情報の使用")
    assert "抽出" in use.text and "頻度" in use.text
