"""The secretariat's agenda: grouping, suggested order, time budget, requests, JSON contract, HTML."""
from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from checker.cli import app
from checker.commands.agenda import build_agenda, collect_paths
from checker.commands.agenda.materials import as_request, material_requests
from checker.core.findings import OUTCOME_LABELS, Assessment
from checker.core.pipeline import check_loaded
from checker.core.validation import load_proposal

from .conftest import ROOT

EXAMPLES = ROOT / "proposals" / "examples"


def proposal(pid: str, **fields) -> dict:
    # Palm-vein login is a ground for the council under the bundled criteria (new-technology, 法第129条):
    # these items are deliberated, so the order and the time budget apply to them.
    base = {"id": pid, "title": f"案件 {pid}", "municipality": "例示市", "department": "総務課",
            "procedure": "consultation", "kinds": ["new_processing"], "biometrics": {"type": "palm_vein"}}
    return {**base, **fields}


def entry(tmp_path: Path, engine, data: dict, outcome: str = "approved", minutes: int = 10):
    """Check a proposal, then pin its predicted outcome and minutes so the test does not depend
    on how many rules happen to fire today."""
    path = tmp_path / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = load_proposal(path)
    report = check_loaded(loaded, engine)
    pinned = Assessment(outcome=outcome, label=OUTCOME_LABELS[outcome], estimated_minutes=minutes, reasons=[])
    return loaded.proposal, report.model_copy(update={"assessment": pinned})


def ids(agenda) -> list[str]:
    return [it.id for it in agenda.items]


def test_same_system_groups_items_across_departments(tmp_path, engine):
    a = build_agenda([entry(tmp_path, engine, proposal("a", system="申請管理システム", department="情報政策室")),
                      entry(tmp_path, engine, proposal("b", department="保育課", kinds=["outsourcing"])),
                      entry(tmp_path, engine, proposal("c", system="申請管理システム", department="高齢福祉室",
                                                       kinds=["cloud"]))])
    by_id = {it.id: it for it in a.items}
    assert by_id["a"].group == by_id["c"].group == "G1"
    assert by_id["b"].group is None
    assert a.groups[0].items == ["a", "c"]
    assert any("申請管理システム" in why for why in a.groups[0].reasons)


def test_related_ids_group_items_and_unknown_ids_are_reported(tmp_path, engine):
    a = build_agenda([entry(tmp_path, engine, proposal("x", department="戸籍住民課", related=["y", "z-missing"])),
                      entry(tmp_path, engine, proposal("y", department="保険年金課", kinds=["outsourcing"]))])
    assert {it.group for it in a.items} == {"G1"}
    assert a.groups[0].reasons == ["関連案件として指定"]
    assert a.items[0].unknown_related == ["z-missing"]


def test_same_department_groups_only_with_the_same_kinds(tmp_path, engine):
    a = build_agenda([entry(tmp_path, engine, proposal("p1", kinds=["outsourcing"])),
                      entry(tmp_path, engine, proposal("p2", kinds=["outsourcing", "cloud"])),
                      entry(tmp_path, engine, proposal("p3", kinds=["outsourcing"]))])
    groups = {it.id: it.group for it in a.items}
    assert groups["p1"] == groups["p3"] is not None
    assert groups["p2"] is None


def test_order_deferral_risk_early_reports_last_groups_together(tmp_path, engine):
    entries = [
        entry(tmp_path, engine, proposal("report-deferral", procedure="report", department="A"), "deferral_risk"),
        entry(tmp_path, engine, proposal("approved", department="B"), "approved"),
        entry(tmp_path, engine, proposal("conditions", department="C", system="S"), "approved_with_conditions"),
        entry(tmp_path, engine, proposal("deferral", department="D"), "deferral_risk"),
        entry(tmp_path, engine, proposal("conditions-partner", department="E", system="S", kinds=["cloud"]),
              "approved"),
    ]
    a = build_agenda(entries)
    # deferral first; the group (conditions + its partner) kept together; the 報告 last.
    assert ids(a) == ["deferral", "conditions", "conditions-partner", "approved", "report-deferral"]
    assert [it.position for it in a.items] == [1, 2, 3, 4, 5]


def test_time_budget_overflow_names_every_item_after_the_cut(tmp_path, engine):
    entries = [entry(tmp_path, engine, proposal("long", department="A"), "deferral_risk", 50),
               entry(tmp_path, engine, proposal("mid", department="B"), "approved_with_conditions", 30),
               entry(tmp_path, engine, proposal("short", department="C", procedure="report"), "approved", 5)]
    a = build_agenda(entries, minutes=85, overhead=10)
    assert a.total_minutes == 85 and a.planned_minutes == 95
    # 10 + 50 = 60 fits; 60 + 30 = 90 > 85; the 5-minute report after it is carried over too.
    assert [o.id for o in a.overflow] == ["mid", "short"]
    assert [(it.start_minute, it.end_minute, it.fits) for it in a.items] == [
        (10, 60, True), (60, 90, False), (90, 95, False)]
    assert build_agenda(entries, minutes=95, overhead=10).overflow == []


def test_every_missing_safeguard_of_an_open_finding_becomes_one_request(tmp_path, engine):
    data = proposal("v", kinds=["outsourcing"], department="健康課", data_items=["氏名", "既往歴"],
                    vendors=[{"name": "委託先A", "role": "通知の印刷"}],
                    transfers=[{"from": "健康課", "to": "委託先A", "medium": "usb"}])
    p, r = entry(tmp_path, engine, data)
    requests = material_requests(r)
    missing = {(rule, s.id) for f in r.open_findings for s in f.missing_safeguards for rule in [f.rule_id]}
    assert {"SEN-005", "TRN-001"} <= {rule for rule, _ in missing}
    by_safeguard = {q.safeguard: q for q in requests}
    for rule, sid in missing:
        assert rule in by_safeguard[sid].rules
        assert by_safeguard[sid].text.endswith("ください。")
    assert len(by_safeguard) == len({sid for _, sid in missing})           # once per safeguard
    # the most likely question first: requests follow the likelihood of the finding behind them
    assert [q.likelihood for q in requests] == sorted((q.likelihood for q in requests), reverse=True)
    # Declaring every safeguard leaves no request.
    declared = {**data, "id": "v2", "safeguards": sorted({s.id for f in r.findings for s in f.safeguards})}
    p2, r2 = entry(tmp_path, engine, declared)
    assert material_requests(r2) == []


def test_unstated_areas_are_requested_and_stating_them_ends_the_request(tmp_path, engine):
    """One model: what the proposal leaves unstated is a finding, and its request goes away once stated."""
    bare = proposal("u", kinds=["outsourcing", "cloud"], vendors=[{"name": "委託先B"}],
                    data_items=["氏名", "病名"], systems=[{"name": "受付システム", "place": "vendor_datacentre", "terms": "negotiated"}],
                    transfers=[{"from": "総務課", "to": "委託先B", "medium": "lgwan"}])
    p, r = entry(tmp_path, engine, bare)
    asked = {q.safeguard: q.text for q in material_requests(r)}
    expected = {"cloud-statement": "約款", "vendor-staff-list": "名簿", "access-scope-statement": "利用者の範囲",
                "access-logging": "記録", "network-diagram": "区分", "retention-schedule": "保存期間",
                "special-clauses": "特記事項", "sensitive-declaration": "項目名"}
    for sid, words in expected.items():
        assert sid in asked and words in asked[sid], (sid, asked.get(sid))
    stated = {**bare, "id": "s", "sensitive_data": {"included": True, "justification": "受付の可否の判断に使う"},
              "systems": [{"name": "受付システム", "place": "vendor_datacentre", "terms": "negotiated", "segment": "lgwan"}],
              "cloud": {"service": "受付サービス", "terms": "negotiated", "certifications": ["ismap"],
                        "tenant_isolation": True, "data_location": "domestic", "backups": True, "exit_plan": True},
              "vendors": [{"name": "委託先B", "staff_list": True, "staff_change_notice": True, "training": True}],
              "access_control": {"users": "担当 2 名", "individual_accounts": True, "need_to_know": True},
              "logging": {"access_logs": True, "periodic_review": True},
              "retention": {"period": "1年", "deletion_method": "overwrite", "proof": "certificate"},
              "contract": {"special_clauses": True}}
    p2, r2 = entry(tmp_path, engine, stated)
    still = {q.safeguard for q in material_requests(r2)}
    assert not still & set(expected), sorted(still & set(expected))


def test_request_phrasing_is_a_polite_request():
    assert as_request("受渡簿の様式と、誰が確認するかを記載する") == "受渡簿の様式と、誰が確認するかを記載した資料を提出してください。"
    assert as_request("職員研修を実施する。") == "職員研修を実施してください。"
    assert as_request("承認手続を定めた規程") == "次の点を資料で示してください: 承認手続を定めた規程。"


def test_collect_paths_recurses_keeps_order_and_skips_hidden(tmp_path):
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for name in ("b/deep/2.yml", "b/1.yaml", ".git/x.yaml", "b/notes.txt"):
        (tmp_path / name).write_text("id: x\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    files, errors = collect_paths([tmp_path / "b", tmp_path / "b" / "1.yaml", tmp_path / "empty"])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["b/1.yaml", "b/deep/2.yml"]
    assert [Path(e.file).name for e in errors] == ["empty"]


def test_cli_json_contract_and_invalid_files(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\ntitle: 壊れた案件\nprocedure: consultaton\nkinds: [outsourcing]\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["agenda", str(EXAMPLES), str(broken), "--minutes", "40", "-f", "json",
                                      "-o", str(tmp_path / "agenda.json")])
    assert result.exit_code == 2
    assert "broken.yaml:3" in result.output
    data = json.loads((tmp_path / "agenda.json").read_text(encoding="utf-8"))
    assert len(data["items"]) == len(list(EXAMPLES.glob("*.yaml")))     # the broken file hides nothing
    for item in data["items"]:
        assert {"estimated_minutes", "predicted_outcome", "risk", "requests", "group"} <= set(item)
        assert item["predicted_outcome"] in OUTCOME_LABELS
    assert data["total_minutes"] == sum(i["estimated_minutes"] for i in data["items"])
    assert [o["id"] for o in data["overflow"]] == [i["id"] for i in data["items"] if not i["fits"]]
    assert data["overflow"], "40 minutes cannot hold three consultations"
    assert [e["file"] for e in data["errors"]] == [str(broken)]


def test_cli_text_warns_and_exit_zero_when_all_valid():
    result = CliRunner().invoke(app, ["agenda", str(EXAMPLES), "--minutes", "30"])
    assert result.exit_code == 0, result.output
    assert "警告: 会議時間30分に収まりません" in result.output
    assert "事前に求める資料" in result.output
    roomy = CliRunner().invoke(app, ["agenda", str(EXAMPLES), "--minutes", "600"])
    assert roomy.exit_code == 0 and "警告" not in roomy.output


def test_html_is_one_escaped_landscape_table(tmp_path):
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(yaml.safe_dump(proposal("h<b>", title="<script>alert(1)</script>", department="課&<i>"),
                                      allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(app, ["agenda", str(hostile), str(EXAMPLES), "-f", "html"])
    assert result.exit_code == 0, result.output
    html = result.output
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "課&amp;&lt;i&gt;" in html
    assert html.count("<table") == 1 and "size: A4 landscape" in html
    assert "<link" not in html and "src=" not in html                # self-contained


def test_readiness_and_duplicate_ids_are_flagged():
    seed = ROOT / "proposals" / "seeds" / "004-2-pittari-my-number-segment.yaml"
    resubmitted = ROOT / "tests" / "data" / "resubmission" / "004-2-pittari-resubmitted.yaml"
    result = CliRunner().invoke(app, ["agenda", str(seed), str(resubmitted), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["notices"]) == 1 and "suita-74-2-pittari-application-management" in data["notices"][0]
    by_file = {Path(i["file"]).name: i for i in data["items"]}
    old, new = by_file[seed.name], by_file[resubmitted.name]
    assert old["ready"] is False and old["important_requests"] >= 2
    assert new["important_requests"] == 0 and new["ready"] is True
    assert old["important_requests"] == sum(r["severity"] == "high" for r in old["requests"])
