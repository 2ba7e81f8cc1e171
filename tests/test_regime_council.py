"""Today's law: the regime a proposal is judged under, the council-need screen (法第129条), rules whose
premise only a repealed ordinance had, and citations that carry their edition."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from checker.commands.agenda import build_agenda
from checker.core.catalogue import load_catalogue
from checker.core.engine import Engine
from checker.core.pipeline import check_file
from checker.core.proposal import Proposal
from checker.core.regime import choose
from checker.reporters import render

ROOT = Path(__file__).resolve().parent.parent
MY_RULES = ROOT / "docs" / "examples" / "my-rules"
TODAY = dt.date(2026, 12, 1)
HUMAN_FORMATS = ("text", "md", "html")


def proposal(**fields) -> dict:
    base = {"id": "x", "title": "例示の案件", "procedure": "consultation", "kinds": ["outsourcing"]}
    base.update(fields)
    return base


def run(engine, write_yaml, data: dict, name: str = "proposal.yaml"):
    return check_file(write_yaml(yaml.safe_dump(data, allow_unicode=True), name), engine, today=TODAY)


# --- regime -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fields, regime, notice", [
    ({}, "act", False),                                                      # no date: always the Act
    ({"meeting_date": "2023-04-01"}, "act", False),                          # the day the Act applied
    ({"meeting_date": "2023-03-31"}, "ordinance", False),                    # the day before: the ordinance
    ({"meeting_date": "2020-11-09", "regime": "act"}, "act", False),         # an old item re-read today
    ({"meeting_date": "2020-11-09", "regime": "ordinance"}, "ordinance", False),
    ({"meeting_date": "2025-06-01", "regime": "ordinance"}, "act", True),    # not allowed: said so
    ({"regime": "ordinance"}, "act", True),
])
def test_regime_by_date_and_by_field(fields, regime, notice):
    choice = choose(Proposal.model_validate(proposal(**fields)))
    assert choice.regime == regime
    assert bool(choice.notice) == notice


def test_every_format_says_which_regime(engine, write_yaml):
    # a vendor without safeguards gives the CSV action plan rows to carry the columns
    old = run(engine, write_yaml, proposal(meeting_date="2021-02-17", vendors=[{"name": "委託先A"}]), "old.yaml")
    new = run(engine, write_yaml, proposal(meeting_date="2026-05-21", vendors=[{"name": "委託先A"}]), "new.yaml")
    for fmt in (*HUMAN_FORMATS, "csv"):
        assert "旧条例" in render("report", fmt, [old]), fmt
        assert "現行法" in render("report", fmt, [new]), fmt
    assert json.loads(render("report", "json", [old]))["proposal"]["regime"] == "ordinance"
    assert json.loads(render("report", "json", [new]))["proposal"]["regime"] == "act"


def test_a_field_naming_a_regime_that_cannot_apply_is_reported(engine, write_yaml):
    report = run(engine, write_yaml, proposal(meeting_date="2025-06-01", regime="ordinance"))
    assert report.proposal.regime == "act"
    assert any("regime: ordinance は使えません" in n for n in report.notices)


def test_same_proposal_under_both_regimes_differs_exactly_in_the_premises(engine, catalogue, write_yaml):
    """Re-reading an old item under today's law drops the rules of repealed premises and adds their
    current-law counterparts; every other finding stays the same."""
    item = proposal(kinds=["outsourcing", "new_processing"], timing="after_start", meeting_date="2021-02-17",
                    data_items=["氏名", "既往歴"], legal_basis={"ordinance_articles": ["第8条"]},
                    expansion={"planned": True}, vendors=[{"name": "委託先A"}])
    under_ordinance = run(engine, write_yaml, item, "ordinance.yaml")
    under_act = run(engine, write_yaml, dict(item, regime="act"), "act.yaml")
    fired_o = {r for f in under_ordinance.findings for r in f.rules}
    fired_a = {r for f in under_act.findings for r in f.rules}
    only_ordinance = {r.id for r in catalogue.rules if r.regimes == ["ordinance"]}
    only_act = {r.id for r in catalogue.rules if r.regimes == ["act"]}
    assert fired_o - fired_a == {"TIM-001", "SEN-001", "LEG-003", "EXP-001"}
    assert fired_o - fired_a <= only_ordinance
    assert fired_a - fired_o == {"SEN-005", "EXP-002"}
    assert fired_a - fired_o <= only_act
    shared = fired_o & fired_a
    assert shared, "the concerns that carry over still fire under both"
    by_rule_o = {f.rule_id: f.because for f in under_ordinance.findings if f.rule_id in shared}
    by_rule_a = {f.rule_id: f.because for f in under_act.findings if f.rule_id in shared}
    assert by_rule_o == by_rule_a


# --- the council-need screen (法第129条) --------------------------------------------------------------

def _agenda_outputs(reports_and_props):
    agenda = build_agenda(reports_and_props)
    return agenda, {fmt: render("agenda", fmt, agenda) for fmt in ("text", "md", "html", "json")}


GROUNDS = {
    "pia-full-review": proposal(kinds=["pia_review"], meeting_date="2026-10-15",
                                pia={"work": "予防接種に関する事務", "level": "full"}),
    "new-technology": proposal(kinds=["new_processing"], biometrics={"type": "palm_vein"}),
    "large-scale": proposal(kinds=["new_processing"], subjects=[{"name": "市民", "count": 150000}]),
    "overseas": proposal(kinds=["cloud"], cloud={"service": "海外のサービス", "data_location": "overseas"}),
}


@pytest.mark.parametrize("ground", sorted(GROUNDS))
def test_council_screen_names_each_ground_in_report_and_agenda(engine, write_yaml, ground):
    report = run(engine, write_yaml, GROUNDS[ground])
    assert report.council is not None and report.council.needed
    assert ground in [g.id for g in report.council.grounds]
    label = next(g.label for g in report.council.grounds if g.id == ground)
    for fmt in HUMAN_FORMATS:
        text = render("report", fmt, [report])
        assert "審議会に諮る必要（法第129条）" in text, fmt
        assert label in text, fmt
    # the first section: before the overview and the findings
    md = render("report", "md", [report])
    assert md.index("審議会に諮る必要") < md.index("## 1. 概要")
    assert json.loads(render("report", "json", [report]))["council"]["grounds"][0]["id"] in GROUNDS
    agenda, outputs = _agenda_outputs([(Proposal.model_validate(GROUNDS[ground]), report)])
    assert agenda.items[0].council_needed and agenda.items[0].procedure_label == "諮問"
    for fmt, text in outputs.items():
        assert label in text, fmt


def test_statutory_ground_comes_first_and_cites_the_rule(engine, write_yaml):
    report = run(engine, write_yaml, dict(GROUNDS["pia-full-review"], subjects=[{"name": "市民", "count": 200000}]))
    assert report.council.grounds[0].ground == "statutory"
    assert "法令による第三者点検" in report.council.label
    assert any("第7条第4項" in c for c in report.council.grounds[0].citations)


def test_no_ground_makes_the_report_an_internal_precheck_and_not_a_consultation(engine, write_yaml):
    data = proposal(kinds=["record_items"], meeting_date="2026-04-16", title="犬の登録台帳の記録項目の追加")
    report = run(engine, write_yaml, data)
    assert not report.council.needed and report.council.grounds == []
    for fmt in HUMAN_FORMATS:
        text = render("report", fmt, [report])
        assert "内部の事前確認" in text and "保護管理者" in text, fmt
        assert "仮に諮った場合の目安" in text, fmt          # no outcome is predicted as if it were deliberated
    for fmt in ("text", "md"):   # the printed HTML keeps to one line; the reason is in the other formats
        assert "諮問（procedure: consultation）として提出されていますが" in render("report", fmt, [report]), fmt
    grounded = run(engine, write_yaml, GROUNDS["new-technology"], "grounded.yaml")
    agenda, outputs = _agenda_outputs([(Proposal.model_validate(data), report),
                                       (Proposal.model_validate(GROUNDS["new-technology"]), grounded)])
    internal = next(it for it in agenda.items if it.title == data["title"])
    assert not internal.council_needed
    assert internal.procedure_label != "諮問"              # nothing is scheduled as 諮問 without a ground
    assert internal.estimated_minutes == 0 and internal.fits  # and it takes no meeting time
    assert agenda.items[-1] is internal                        # after the items the council deliberates
    for fmt, text in outputs.items():
        assert "内部の事前確認（諮問の根拠なし）" in text, fmt


def test_an_old_item_is_screened_by_its_ordinance(engine, write_yaml):
    report = run(engine, write_yaml, proposal(meeting_date="2020-11-09",
                                              legal_basis={"ordinance_articles": ["第8条第2項"]}))
    assert report.council.needed and report.council.grounds[0].ground == "ordinance"
    assert "第8条第2項" in report.council.grounds[0].explanation


def test_municipality_edits_its_criteria_and_lists_its_ordinance_sensitive_items(write_yaml):
    catalogue = load_catalogue([MY_RULES])
    engine = Engine(catalogue)
    assert "pia-voluntary-review" not in catalogue.council_criteria       # switched off by the municipality
    assert "rei-children-cloud" in catalogue.council_criteria
    report = run(engine, write_yaml, proposal(kinds=["new_processing"], data_items=["氏名", "性自認"]))
    assert [g.id for g in report.council.grounds] == ["ordinance-sensitive"]
    assert "REI-002" in {f.rule_id for f in report.findings}
    # without the municipality's folder, the same item is neither a ground nor a finding
    bundled = run(Engine(load_catalogue()), write_yaml, proposal(kinds=["new_processing"], data_items=["氏名", "性自認"]),
                  "bundled.yaml")
    assert not bundled.council.needed
    assert "REI-002" not in {f.rule_id for f in bundled.findings}


def test_a_municipality_cannot_switch_off_the_statutory_review(tmp_path):
    from checker.core.errors import RuleError
    (tmp_path / "council.yaml").write_text("disabled: [pia-full-review]\n", encoding="utf-8")
    with pytest.raises(RuleError, match="止められません"):
        load_catalogue([tmp_path])


# --- premises the Act does not have -------------------------------------------------------------------

# A premise that only a repealed ordinance had, or a consultation the Act does not require. 条例要配慮個人情報
# (法第60条第5項) and 番号法の独自利用条例 are current law and are not matched.
REPEALED_PREMISES = [
    re.compile(r"条例(上|により|に基づき|が(求め|定め)る|の規定による諮問)"),
    re.compile(r"本人収集(の)?原則|本人から直接(集め|収集)"),
    re.compile(r"(実施|開始|始める)(の)?前に(審議会に)?諮"),
    re.compile(r"(追加|変更)(する|の)(たび|都度)[^。]*諮"),
    re.compile(r"審議会に諮るべき"),
    re.compile(r"諮問の根拠"),
]


def repealed_premises(catalogue, rule) -> list[str]:
    texts = [rule.title, rule.why, rule.because, *rule.questions]
    texts += [t for sid in rule.safeguards for t in (catalogue.safeguards[sid].text, catalogue.safeguards[sid].write)]
    return [m.group(0) for text in texts for pattern in REPEALED_PREMISES for m in [pattern.search(text)] if m]


def test_no_current_law_rule_rests_on_a_repealed_ordinance(catalogue):
    offenders = {r.id: repealed_premises(catalogue, r) for r in catalogue.rules if "act" in r.regimes}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_premise_check_finds_the_premises_it_looks_for(catalogue):
    """The meta-test is not vacuous: the ordinance-only rules it exempts do state such premises."""
    for rid in ("TIM-001", "LEG-003", "EXP-001"):
        assert catalogue.by_id[rid].regimes == ["ordinance"]
        assert repealed_premises(catalogue, catalogue.by_id[rid]), rid


def test_rule_regimes_are_validated(tmp_path):
    from checker.core.errors import RuleError
    rule = yaml.safe_load((ROOT / "rules" / "legal_basis" / "LEG-009.yaml").read_text(encoding="utf-8"))
    rule["regimes"] = ["act", "prefecture"]
    folder = tmp_path / "legal_basis"
    folder.mkdir()
    rule["id"] = "XYZ-001"
    (folder / "XYZ-001.yaml").write_text(yaml.safe_dump(rule, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleError, match="regimes"):
        load_catalogue([tmp_path])


# --- the article of the Act a handling rests on ------------------------------------------------------

def test_standing_provision_on_article_69_2_is_questioned(engine, write_yaml):
    monthly = proposal(kinds=["external_provision"],
                       act_basis=[{"kind": "external_provision", "articles": ["art69_2_3"], "regular": True}])
    assert "LEG-008" in {r for f in run(engine, write_yaml, monthly).findings for r in f.rules}
    by_law = dict(monthly, act_basis=[{"kind": "external_provision", "articles": ["art69_1"], "regular": True}])
    assert "LEG-008" not in {r for f in run(engine, write_yaml, by_law, "law.yaml").findings for r in f.rules}


# --- citations -----------------------------------------------------------------------------------------

def test_every_citation_resolves_to_a_source_with_an_edition(catalogue):
    cited = [(r.id, p.source) for r in catalogue.rules for p in r.precedents]
    cited += [(c.id, p.source) for c in catalogue.council_criteria.values() for p in c.precedents]
    for owner, key in cited:
        source = catalogue.sources.get(key)
        assert source is not None, f"{owner}: {key}"
        if source.kind == "minutes":
            assert source.date is not None, key
        else:
            assert source.edition.strip(), key


def test_precedents_from_old_minutes_say_former_ordinance_in_every_human_format(engine, write_yaml):
    report = run(engine, write_yaml, proposal(meeting_date="2026-05-21", data_items=["氏名", "既往歴"]))
    minutes = [x for f in report.findings for x in f.precedents if x.kind == "minutes"]
    assert minutes and all(x.regime == "旧条例下" for x in minutes)
    for fmt in HUMAN_FORMATS:
        assert "【旧条例下】" in render("report", fmt, [report]), fmt


def test_cloud_location_is_a_safety_matter_not_article_71(catalogue):
    cld = catalogue.by_id["CLD-003"]
    assert not any(p.source == "個人情報保護法" and p.item.startswith("第71条") for p in cld.precedents)
    assert any("外的環境の把握" in p.item for p in cld.precedents)


# --- sensitive data ------------------------------------------------------------------------------------

def test_checkup_history_may_be_sensitive_but_is_not_flagged_as_undeclared_sensitive(engine, write_yaml):
    report = run(engine, write_yaml, proposal(data_items=["氏名", "受診歴"]))
    fired = {r for f in report.findings for r in f.rules}
    assert "SEN-006" in fired and not fired & {"SEN-001", "SEN-005"}
    finding = next(f for f in report.findings if "SEN-006" in f.rules)
    assert finding.severity == "low" and not finding.deferral
    results = run(engine, write_yaml, proposal(data_items=["氏名", "健診結果"]), "results.yaml")
    assert "SEN-005" in {r for f in results.findings for r in f.rules}


def test_income_in_a_tax_assessment_is_not_asked_to_be_dropped(engine, write_yaml):
    """所得 is what a local-tax work is about: a third-party review does not ask to drop it (the same item
    elsewhere is still questioned)."""
    tax = run(engine, write_yaml, proposal(kinds=["pia_review"], pia={"work": "個人住民税に関する事務", "level": "focused"},
                                           data_items=["氏名", "所得の金額"]))
    fired = {r for f in tax.findings for r in f.rules}
    assert not fired & {"MIN-002", "SEN-002"}
    other = run(engine, write_yaml, proposal(title="イベントの参加申込", business="市民イベントの受付",
                                             data_items=["氏名", "所得の金額"]), "other.yaml")
    assert {"MIN-002", "SEN-002"} <= {r for f in other.findings for r in f.rules}


# --- examples ------------------------------------------------------------------------------------------

def _load(path: Path) -> Proposal:
    return Proposal.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_seed_items_stay_dated_historical_items_under_the_ordinance():
    seeds = sorted((ROOT / "proposals" / "seeds").glob("*.yaml"))
    assert seeds
    for path in seeds:
        p = _load(path)
        assert p.meeting_date is not None and choose(p).regime == "ordinance", path.name


def test_every_kind_has_a_current_law_example():
    from checker.core.proposal import Kind
    current = [p for p in map(_load, sorted((ROOT / "proposals" / "examples").glob("*.yaml")))
               if choose(p).regime == "act"]
    covered = {k for p in current for k in p.kinds}
    assert covered >= {k.value for k in Kind}


def test_a_generative_ai_service_is_a_new_technology_ground(engine):
    """Using generative AI on residents' questions is a technology the municipality has no precedent for:
    the bundled criteria send it to the council (the PPC's 2023-06-02 注意喚起 is cited with 第129条)."""
    example = Path(__file__).parent.parent / "proposals" / "examples" / "genai-chatbot-line-web.yaml"
    report = check_file(example, engine)
    assert report.council is not None and report.council.needed
    ground = next(g for g in report.council.grounds if g.id == "new-technology")
    assert "生成 AI" in ground.label
    assert "生成AIサービスの利用に関する注意喚起" in render("report", "text", [report])
