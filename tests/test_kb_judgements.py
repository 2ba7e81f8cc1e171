"""Derived judgements of the knowledge base, asserted on what a department sees in its report.

Each case is a small proposal (merged over rules/example_base.yaml) with the characteristic a
council member reacts to, written the way a department would write it: the rule must fire with
the stated severity / deferral flag and an explanation naming the matched item; the same
proposal without the characteristic must stay quiet.
"""
from __future__ import annotations

import pytest

from checker.core.catalogue import Example
from checker.core.examples import example_yaml
from checker.core.pipeline import check_file


@pytest.fixture
def run(tmp_path, catalogue, engine):
    def run(patch: dict):
        path = tmp_path / "p.yaml"
        path.write_text(example_yaml(catalogue, Example(name="p", proposal=patch)), encoding="utf-8")
        return {f.rule_id: f for f in check_file(path, engine).findings}
    return run


@pytest.mark.parametrize("item", ["障がいの有無", "ｼｮｳｶﾞｲの程度", "既往歴", "ＰＣＲ検査の結果", "虐待の状況"])
def test_undeclared_sensitive_item_is_a_deferral(run, item):
    found = run({"data_items": ["氏名", item]})
    assert found["SEN-001"].deferral and found["SEN-001"].severity == "high"
    assert item in found["SEN-001"].because
    assert "SEN-002" not in found


@pytest.mark.parametrize("item", ["本籍", "ほんせき", "在留資格", "生活保護受給の有無", "所得額", "手のひら静脈の特徴量"])
def test_undeclared_quasi_sensitive_item_is_a_question_not_a_deferral(run, item):
    found = run({"data_items": ["氏名", item]})
    assert "SEN-002" in found and "SEN-001" not in found
    assert not found["SEN-002"].deferral and item in found["SEN-002"].because


def test_declared_sensitive_data_silences_both(run):
    found = run({"data_items": ["氏名", "本籍", "病歴"],
                 "sensitive_data": {"included": True, "justification": "審査に必要なため"}})
    assert not {"SEN-001", "SEN-002", "SEN-003"} & set(found)


@pytest.mark.parametrize("relays", [["dmz_server"], ["proxy_server"], ["file_transfer"]])
def test_bridge_into_the_my_number_segment_is_a_deferral(run, relays):
    system = {"name": "申請管理システム", "location": "on_premises", "segment": "my_number",
              "relays": relays, "relay_from": "lgwan"}
    finding = run({"systems": [system]})["NET-001"]
    assert finding.deferral and finding.severity == "high"
    assert "申請管理システム" in finding.because and "LGWAN 接続系" in finding.because
    assert finding.locations[0].path == "systems[0]"


def test_same_relay_outside_the_my_number_segment_is_not_a_bridge(run):
    system = {"name": "受付サーバ", "location": "on_premises", "segment": "lgwan",
              "relays": ["proxy_server"], "relay_from": "internet"}
    assert "NET-001" not in run({"systems": [system]})


def test_standalone_terminal_linked_to_the_vendor_is_connected_to_the_outside(run):
    found = run({"kinds": ["outsourcing"], "vendors": [{"name": "架電事業者"}],
                 "systems": [{"name": "自動架電端末", "location": "standalone_terminal"}],
                 "transfers": [{"from": "自動架電端末", "to": "架電事業者", "medium": "internet_tls"}]})
    assert "NET-002" in found and "自動架電端末" in found["NET-002"].because


@pytest.mark.parametrize(("pilot", "rule"), [
    ({"scope": "広報紙の投稿", "report_back": True}, "PIL-001"),       # no period
    ({"period": "半年", "report_back": True}, "PIL-001"),              # no scope
    ({"period": "半年", "scope": "広報紙の投稿"}, "PIL-002"),           # no report-back
])
def test_pilot_without_period_scope_or_report_back(run, pilot, rule):
    found = run({"kinds": ["external_linkage"], "pilot": pilot})
    assert rule in found and found[rule].severity == "high"


def test_complete_pilot_is_quiet(run):
    found = run({"kinds": ["external_linkage"],
                 "pilot": {"period": "半年", "scope": "広報紙の投稿", "report_back": True, "criteria": "件数と事故"}})
    assert not {"PIL-001", "PIL-002", "PIL-003"} & set(found)


def test_report_after_the_start_of_an_outsourcing(run):
    found = run({"procedure": "report", "timing": "after_start", "kinds": ["outsourcing"]})
    assert found["TIM-001"].severity == "medium" and "外部委託" in found["TIM-001"].because
    assert "TIM-001" not in run({"procedure": "report", "kinds": ["outsourcing"]})


def test_identity_by_sns_account_is_keyed_on_the_method_not_the_name(run):
    """An SNS account of any brand; the product name appears nowhere in the proposal."""
    found = run({"kinds": ["external_linkage"], "identity_verification": {"methods": ["sns_account"]}})
    assert {"IDV-001", "IDV-002"} <= set(found)
    assert "SNS アカウント" in found["IDV-001"].because
