"""Unit tests beside tests/features/input_checks.feature: ids typed in full width or the wrong case,
the placeholder list as validated data, and plausibility notices."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.core import placeholders, plausibility
from checker.core.errors import InputError, RuleError
from checker.core.loading import parse_yaml
from checker.core.pipeline import check_text
from checker.core.validation import validate

runner = CliRunner()
BASE = "id: x\ntitle: 件名\nprocedure: consultation\nkinds: [outsourcing]\n"


def test_full_width_ids_in_a_proposal_are_read_as_half_width_with_a_notice(engine):
    text = BASE + "safeguards: [ｌｏｇ－ｒｅｖｉｅｗ, log-review]\naccepted_risks:\n  - {rule: ＶＥＲ－００３, reason: 年 1 回確認する}\n"
    report = check_text(text, "p.yaml", engine)
    assert report.proposal.declared_safeguards == ["log-review"]
    assert any(n.startswith("p.yaml:5:14: お知らせ: 全角の「ｌｏｇ－ｒｅｖｉｅｗ」を「log-review」") for n in report.notices)
    assert any("「VER-003」として読みました" in n for n in report.notices)


@pytest.mark.parametrize(("line", "expected"), [
    ("accepted_risks:\n  - {rule: ver-003, reason: 理由}\n", "「VER-003」の誤りではありませんか"),
    ("safeguards: [LOG-REVIEW]\n", "「log-review」の誤りではありませんか"),
])
def test_an_id_in_the_wrong_case_gets_the_id_that_exists(engine, line, expected):
    with pytest.raises(InputError) as caught:
        check_text(BASE + line, "p.yaml", engine)
    assert expected in str(caught.value)


def test_the_placeholder_list_is_validated_when_loaded(tmp_path: Path):
    broken = tmp_path / "placeholders.yaml"
    broken.write_text("words: [未定]\nmarks:\n  - {pattern: '[○', why: 丸}\n", encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        placeholders.load(broken)
    assert "正規表現として読めません" in str(caught.value) and str(broken) in str(caught.value)
    broken.write_text("words: ['（）']\n", encoding="utf-8")
    with pytest.raises(RuleError, match="正規化すると空"):
        placeholders.load(broken)


def test_a_placeholder_in_a_real_statement_is_not_listed(engine):
    report = check_text(BASE + "purpose: 委託先は未定のため、選定後に報告する\nbusiness: TBD\n", "p.yaml", engine)
    assert [(x.path, x.line, x.column, x.value) for x in report.placeholders] == [("business", 6, 11, "TBD")]


def _proposal(extra: str):
    loaded = parse_yaml(BASE + extra, "p.yaml")
    return validate(loaded, "p.yaml"), loaded


@pytest.mark.parametrize(("extra", "words"), [
    ("vendors:\n  - {name: 委託先, handlers: 200000}\n", "職員・委託先の従事者の数としては多すぎます"),
    ("subjects:\n  - {name: 全国の受給者, count: 5000000}\n", "最も人口の多い市"),
])
def test_unusual_counts_are_notices(extra, words):
    _, loaded = _proposal(extra)
    assert any(words in n for n in loaded.notices)


def test_a_comment_period_whose_days_disagree_with_its_dates_is_a_notice():
    extra = ("meeting_date: 2026-10-15\npia:\n  work: 事務\n  level: full\n  public_comment:\n"
             "    {start: 2026-06-01, end: 2026-06-30, days: 45}\n")
    _, loaded = _proposal(extra)
    assert any("（45日）" in n and "（30日）" in n for n in loaded.notices)


def test_a_meeting_years_ahead_is_an_error_relative_to_today():
    from checker.core.proposal import Proposal
    loaded = parse_yaml(BASE + "meeting_date: 2030-04-01\n", "p.yaml")
    proposal = Proposal.model_validate(loaded.data)
    assert plausibility.check(proposal, loaded, "p.yaml", today=dt.date(2029, 4, 1)) == []
    with pytest.raises(InputError, match="3年より先"):
        plausibility.check(proposal, loaded, "p.yaml", today=dt.date(2026, 4, 1))


def test_rules_lint_counts_the_safeguards_it_checked():
    result = runner.invoke(app, ["rules", "lint"])
    assert result.exit_code == 0 and "件の安全管理措置の satisfied_by を検証しました" in result.output
