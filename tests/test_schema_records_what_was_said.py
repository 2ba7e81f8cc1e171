"""The schema records only what a department said (issue 18, deliverable 7).

A yes/no left out is "not stated", never "no": it feeds the coverage facts and gives a finding
about what is missing. Names may be left out where only the fact is known, enum errors list the
allowed values with their Japanese labels, and files written with an old field name keep loading
with a notice naming the file, the line and the new name.
"""
from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from checker.cli import app
from checker.commands.new import KINDS, template
from checker.commands.schema import schema_text
from checker.core.errors import InputError
from checker.core.facts import build_facts
from checker.core.pipeline import check_file
from checker.core.proposal import LABELS, Kind
from checker.core.validation import load_proposal

runner = CliRunner()


def _write(write_yaml, **fields) -> str:
    data = {"id": "t", "title": "点検用の案件", "kinds": ["new_processing"], **fields}
    return str(write_yaml(yaml.safe_dump(data, allow_unicode=True, sort_keys=False)))


def _facts(path: str, catalogue) -> list[dict]:
    return build_facts(load_proposal(path).proposal, catalogue.vocabulary, catalogue.areas)


def _coverage(facts: list[dict], area: str) -> str:
    return next(f["state"] for f in facts if f["t"] == "coverage" and f["area"] == area)


# --- A yes/no left out is unstated, not "no" --------------------------------------------------

def test_an_external_connection_left_out_is_a_coverage_finding_not_a_no(write_yaml, catalogue, engine):
    path = _write(write_yaml, systems=[{"name": "受付システム", "place": "on_premises"}])
    facts = _facts(path, catalogue)
    system = next(f for f in facts if f["t"] == "system")
    assert "connected_externally" not in system and "connects_to_core" not in system
    assert _coverage(facts, "external_connection") == "unstated"
    report = check_file(path, engine)
    finding = next(f for f in report.findings if f.rule_id == "NET-010")
    assert "受付システム" in finding.because and "庁外（インターネット・他機関）との接続の有無" in finding.because
    assert finding.status == "open"


def test_saying_no_is_recorded_as_no_and_ends_the_finding(write_yaml, catalogue, engine):
    path = _write(write_yaml, systems=[{"name": "受付システム", "place": "on_premises", "connected_externally": False}])
    facts = _facts(path, catalogue)
    assert next(f for f in facts if f["t"] == "system")["connected_externally"] is False
    assert _coverage(facts, "external_connection") == "stated"
    assert "NET-010" not in {f.rule_id for f in check_file(path, engine).findings}


def test_a_serious_incident_left_out_is_shown_as_unstated_and_asked(write_yaml, engine):
    path = _write(write_yaml, my_number={"used": True, "legal_basis": "番号法別表の該当事務", "persons": 50000,
                                         "handlers": 20})
    report = check_file(path, engine)
    asked = next(f for f in report.findings if f.rule_id == "MYN-017")
    assert "過去 1 年以内の重大事故の有無" in asked.because
    level = next(f for f in report.findings if f.rule_id == "MYN-011")
    assert "重大事故 （記載なし）" in level.because and "重大事故 なし" not in level.because


@pytest.mark.parametrize("fields, fact, key", [
    ({"subjects": [{"name": "申請者", "children": None}]}, "subject", "children"),
    ({"vendors": [{"name": "委託先"}]}, "vendor", "overseas"),
    ({"provisions": [{"recipient": "県"}]}, "provision", "online"),
    ({"access_control": {"users": "担当 3 名"}}, "access", "remote_access"),
    ({"access_control": {"users": "担当 3 名"}}, "access", "smart_devices"),
    ({"access_control": {"users": "担当 3 名"}}, "access", "external_users"),
    ({"my_number": {"used": True}}, "my_number", "certificates_with_number"),
    ({"deliveries": [{"what": "通知書", "channel": "post"}]}, "delivery", "by_vendor"),
])
def test_every_yes_no_left_out_stays_out_of_its_fact(write_yaml, catalogue, fields, fact, key):
    facts = _facts(_write(write_yaml, **fields), catalogue)
    assert key not in next(f for f in facts if f["t"] == fact)


def test_children_on_any_subject_decide_the_proposal_only_when_stated(write_yaml, catalogue):
    def children(*values):
        subjects = [{"name": f"区分{i}", "children": v} for i, v in enumerate(values)]
        return next(f for f in _facts(_write(write_yaml, subjects=subjects), catalogue) if f["t"] == "proposal").get("children")
    assert children(False, True) is True
    assert children(False, False) is False
    assert children(False, None) is None


# --- Only the fact, without a name ---------------------------------------------------------------

def test_facts_without_names_load_and_are_checked(write_yaml, engine):
    path = _write(write_yaml, kinds=["outsourcing", "external_provision", "pia_review", "cloud"],
                  cloud={"terms": "standard"},
                  vendors=[{"role": "印刷・封入封緘"}], provisions=[{"purpose": "法令に基づく照会への回答"}],
                  transfers=[{"from": "市民課", "to": "委託先", "content": "paper"}],
                  deliveries=[{"what": "納税通知書"}],
                  pia={"work": "住民基本台帳に関する事務", "files": [{"persons": 1000}]})
    report = check_file(path, engine)
    assert report.proposal.kinds == ["outsourcing", "external_provision", "pia_review", "cloud"]
    placeholder = next(f for f in report.findings if f.rule_id == "VEN-003")
    assert placeholder.status == "open"


def test_the_new_values_are_accepted_and_labelled(write_yaml, engine):
    path = _write(write_yaml, kinds=["other"], procedure="pre_review",
                  transfers=[{"from": "市", "to": "国", "medium": "government_network"},
                             {"from": "市", "to": "県", "medium": "public_line"}],
                  pia={"work": "事務", "level": "unknown", "assessment": "unknown"})
    report = check_file(path, engine)
    assert report.proposal.kind_labels == ["その他の取扱い"]
    assert report.proposal.procedure_label.startswith("事前審査")
    assert "無害化" not in LABELS["Medium"]["file_transfer_appliance"]
    assert LABELS["Medium"]["government_network"] == "政府共通ネットワーク"


def test_kinds_are_processing_types_in_todays_terms():
    labels = LABELS["Kind"]
    assert labels["external_linkage"] == "外部とのオンライン接続（情報の提供・受領）"
    assert labels["new_processing"] == "新たな情報システムでの処理"
    assert labels["collection_from_others"] == "本人以外からの取得"
    assert labels["record_items"].startswith("保有する項目の追加")
    assert labels["worker_dispatch"] == "派遣労働者による取扱い"
    assert set(labels) == {k.value for k in Kind}
    result = runner.invoke(app, ["check", str(_example("complete-record_items.yaml"))])
    assert "取扱いの類型: 保有する項目の追加・変更" in result.output


def _example(name: str):
    from .conftest import ROOT
    return ROOT / "proposals" / "examples" / name


# --- Error messages list the allowed values --------------------------------------------------------

def _problems(path: str) -> str:
    with pytest.raises(InputError) as info:
        load_proposal(path)
    return str(info.value)


def test_an_enum_error_lists_every_allowed_value_with_its_japanese_label(write_yaml):
    text = _problems(_write(write_yaml, pia={"work": "事務", "level": "medium"}))
    assert "pia.level の値「medium」は使えません" in text
    assert ("使える値: basic（基礎項目評価）、focused（基礎項目評価＋重点項目評価）、full（基礎項目評価＋全項目評価）、"
            "unknown（未記載）") in text


def test_a_japanese_label_written_as_the_value_is_pointed_at_its_id(write_yaml):
    text = _problems(_write(write_yaml, procedure="諮問"))
    assert "「consultation」の誤りではありませんか" in text and "pre_review（事前審査" in text


def test_an_error_in_a_list_of_kinds_lists_the_kinds(write_yaml):
    text = _problems(_write(write_yaml, kinds=["outsorcing"]))
    assert "「outsourcing」の誤りではありませんか" in text and "other（その他の取扱い）" in text


def test_unknown_assessment_is_a_value_not_a_typo(write_yaml):
    path = _write(write_yaml, kinds=["pia_review"], pia={"work": "事務", "assessment": "unknown"})
    assert load_proposal(path).proposal.pia.assessment == "unknown"


# --- Old names keep loading ------------------------------------------------------------------------

OLD_FILE = """\
id: old
title: 旧い書き方の案件
procedure: consultation
kinds: [cloud]
data_items: [氏名, 病名]
systems:
  - name: 共有ツール
    location: saas_standard_terms
"""


def test_an_old_location_loads_as_place_and_terms_with_a_notice_at_its_line(write_yaml, catalogue):
    path = str(write_yaml(OLD_FILE))
    loaded = load_proposal(path)
    system = loaded.proposal.systems[0]
    assert (system.place, system.terms) == ("cloud", "standard")
    assert any(n.startswith(f"{path}:8:5: お知らせ: systems[0].location は") and "place: cloud、terms: standard" in n
               for n in loaded.notices), loaded.notices
    saas = next(f for f in build_facts(loaded.proposal, catalogue.vocabulary, catalogue.areas) if f["t"] == "system")
    assert saas["saas"] is True


def test_the_old_name_notice_reaches_the_user(write_yaml):
    path = str(write_yaml(OLD_FILE))
    result = runner.invoke(app, ["check", path])
    assert result.exit_code == 0
    assert f"{path}:8:5: お知らせ: systems[0].location は、設置・保管場所の place と契約の形態の terms に分かれました" \
        in result.output


def test_old_and_new_names_together_are_an_error_naming_the_new_ones(write_yaml):
    path = str(write_yaml(OLD_FILE.replace("    location: saas_standard_terms",
                                           "    location: saas_standard_terms\n    place: cloud")))
    text = _problems(path)
    assert "不明なキー「location」" in text and "place（設置・保管場所）と terms（契約の形態）" in text


# --- The scaffold and every proposal match the regenerated JSON Schema -------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_the_scaffold_validates_against_the_json_schema(kind):
    assert kind in {k.value for k in Kind}
    data = json.loads(json.dumps(yaml.safe_load(template(kind)), default=str, ensure_ascii=False))
    jsonschema.validate(data, json.loads(schema_text()))


def test_the_scaffold_answers_no_yes_no_question():
    for kind in KINDS:
        data = yaml.safe_load(template(kind))
        assert data["procedure"] == "unknown" and data["timing"] == "unknown"
        for system in data.get("systems") or []:
            assert system["connected_externally"] is None and system["connects_to_core"] is None
        for provision in data.get("provisions") or []:
            assert provision["online"] is None and provision["person_notified"] is None
        assert all(s["children"] is None for s in data["subjects"])
        if "pia" in data:
            assert data["pia"]["level"] == "unknown" and data["pia"]["assessment"] == "unknown"
            assert data["my_number"]["serious_incident"] is None
