"""Steps for the department's pre-check journey (tests/features/precheck.feature)."""
from __future__ import annotations

import json

from pytest_bdd import given, parsers, scenarios, then, when
from typer.testing import CliRunner

from checker.cli import app

from ..conftest import ROOT

scenarios("precheck.feature")
EXAMPLE = ROOT / "proposals" / "examples" / "child-consultation-migration.yaml"


@given("子ども相談システムの入替えの案件ファイルがある", target_fixture="proposal_text")
def child_consultation() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@given("案件に要配慮個人情報を含むことと必要性を書き加える", target_fixture="proposal_text")
def declare_sensitive(proposal_text: str) -> str:
    return proposal_text + "sensitive_data: {included: true, justification: 支援方針の判断に障害の状況が必要なため}\n"


@given(parsers.parse("3 行目の procedure に「{typo}」と誤記した案件ファイルがある"), target_fixture="proposal_text")
def typo_file(typo: str) -> str:
    return f"id: x\ntitle: 誤記のある案件\nprocedure: {typo}\nkinds: [outsourcing]\n"


@when("担当課が shingikai check を実行する", target_fixture="run")
def run_check(proposal_text: str, tmp_path):
    path = tmp_path / "proposal.yaml"
    path.write_text(proposal_text, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path), "--format", "json"])
    report = json.loads(result.output) if result.exit_code == 0 else None
    return {"result": result, "report": report}


@then(parsers.parse("終了コードは {code:d} である"))
def exit_code(run, code: int):
    assert run["result"].exit_code == code, run["result"].output


@then(parsers.parse("報告の総合リスクは「{label}」である"))
def overall_risk(run, label: str):
    assert run["report"]["summary"]["risk_label"] == label


def _finding(run, rule_id: str):
    return next((f for f in run["report"]["findings"] if f["rule_id"] == rule_id), None)


@then(parsers.parse("報告に「{rule_id}」の指摘があり、理由に「{words}」が含まれる"))
def finding_with_reason(run, rule_id: str, words: str):
    finding = _finding(run, rule_id)
    assert finding is not None and words in finding["because"]


@then(parsers.parse("報告に「{rule_id}」の指摘があり、先例として「{source}」が示される"))
def finding_with_precedent(run, rule_id: str, source: str):
    finding = _finding(run, rule_id)
    assert finding is not None
    assert source in [p["source"] for p in finding["precedents"]]


@then(parsers.parse("未対応の安全管理措置として「{safeguard}」が示される"))
def missing_safeguard(run, safeguard: str):
    missing = {s["id"] for f in run["report"]["findings"] for s in f["safeguards"] if not s["declared"]}
    assert safeguard in missing


@then(parsers.parse("報告に「{rule_id}」の指摘はない"))
def no_finding(run, rule_id: str):
    assert run["result"].exit_code == 0
    assert _finding(run, rule_id) is None


@then(parsers.parse("エラーに行番号「{line}」と正しい値「{value}」が示される"))
def error_position(run, line: str, value: str):
    output = run["result"].output
    assert line in output and value in output
