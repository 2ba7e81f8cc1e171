"""The specific PIA level (特定個人情報保護評価のしきい値判断) derived by MYN-010..013.

The level is a derived `pia` fact (forward chaining): MYN-014 / MYN-015 read it. These cases sit
on every threshold of DOMAIN.md: persons 1,000 / 10,000 / 100,000 / 300,000, handlers 500
(vendor staff counted), and a serious incident in the past year.
"""
from __future__ import annotations

import pytest

from checker.core.catalogue import Example
from checker.core.examples import example_yaml
from checker.core.pipeline import check_file

LEVEL_RULES = {"MYN-010": "none", "MYN-011": "basic", "MYN-012": "focused", "MYN-013": "full"}


def _check(tmp_path, catalogue, engine, my_number: dict, vendors: list | None = None, kinds=None):
    patch = {"my_number": {"used": True, "legal_basis": "番号法別表の該当事務", **my_number}}
    if vendors is not None:
        patch["vendors"] = vendors
    if kinds is not None:
        patch["kinds"] = kinds
    path = tmp_path / "pia.yaml"
    path.write_text(example_yaml(catalogue, Example(name="pia", proposal=patch)), encoding="utf-8")
    return check_file(path, engine)


@pytest.mark.parametrize(("persons", "handlers", "vendor_handlers", "incident", "level"), [
    (999, 10, 0, False, "none"),
    (1000, 10, 0, False, "basic"),
    (9999, 900, 0, True, "basic"),          # under 10,000 handlers and incidents do not raise the tier
    (10000, 499, 0, False, "basic"),
    (10000, 500, 0, False, "focused"),
    (50000, 20, 480, False, "focused"),     # vendor staff push the handler count to 500
    (50000, 20, 0, True, "focused"),
    (99999, 10, 0, False, "basic"),
    (100000, 10, 0, False, "focused"),
    (100000, 10, 490, False, "full"),
    (299999, 10, 0, True, "full"),
    (300000, 1, 0, False, "full"),
])
def test_threshold_levels(tmp_path, catalogue, engine, persons, handlers, vendor_handlers, incident, level):
    vendors = [{"name": "委託先A", "handlers": vendor_handlers}] if vendor_handlers else None
    report = _check(tmp_path, catalogue, engine,
                    {"persons": persons, "handlers": handlers, "serious_incident": incident, "pia_done": True},
                    vendors)
    fired = {f.rule_id for f in report.findings} & set(LEVEL_RULES)
    assert fired == {next(r for r, lv in LEVEL_RULES.items() if lv == level)}


def test_missing_assessment_names_the_required_level(tmp_path, catalogue, engine):
    report = _check(tmp_path, catalogue, engine, {"persons": 150000, "handlers": 600})
    finding = next(f for f in report.findings if f.rule_id == "MYN-014")
    assert "基礎項目評価＋全項目評価" in finding.because
    assert finding.severity == "high"


def test_below_threshold_needs_no_assessment(tmp_path, catalogue, engine):
    fired = {f.rule_id for f in _check(tmp_path, catalogue, engine, {"persons": 500}).findings}
    assert "MYN-010" in fired and "MYN-014" not in fired


def test_reassessment_cycle_on_change(tmp_path, catalogue, engine):
    report = _check(tmp_path, catalogue, engine, {"persons": 20000, "handlers": 30, "pia_done": True},
                    kinds=["outsourcing"])
    finding = next(f for f in report.findings if f.rule_id == "MYN-015")
    assert "基礎項目評価" in finding.because and "外部委託" in finding.because
    assert any("5 年" in q for q in finding.questions)


def test_unknown_count_cannot_be_tiered(tmp_path, catalogue, engine):
    fired = {f.rule_id for f in _check(tmp_path, catalogue, engine, {"handlers": 3}).findings}
    assert "MYN-004" in fired and not fired & set(LEVEL_RULES)


# --- The third-party review (kinds: [pia_review]): PIA-001 compares the level of the assessment
# under review with the level the threshold figures require, at every boundary of the guideline.
@pytest.mark.parametrize(("persons", "handlers", "incident", "stated", "fires"), [
    (999, 10, False, "basic", False),          # no assessment required: any level is enough
    (1000, 10, False, "basic", False),
    (9999, 900, True, "basic", False),         # under 10,000 never rises above the basic level
    (10000, 499, False, "basic", False),
    (10000, 500, False, "basic", True),        # 500 handlers raise it to the focused level
    (10000, 500, False, "focused", False),
    (99999, 10, True, "basic", True),          # a serious incident raises it too
    (99999, 10, True, "focused", False),
    (100000, 10, False, "basic", True),
    (100000, 10, False, "focused", False),
    (100000, 500, False, "focused", True),     # ... and to the full level from 100,000 persons
    (299999, 10, True, "focused", True),
    (299999, 499, False, "focused", False),
    (299999, 499, False, "full", False),       # a fuller assessment than required is allowed
    (300000, 1, False, "focused", True),
    (300000, 1, False, "full", False),
])
def test_review_flags_a_level_below_the_threshold_judgement(tmp_path, catalogue, engine, persons, handlers,
                                                              incident, stated, fires):
    patch = {"kinds": ["pia_review"],
             "my_number": {"used": True, "legal_basis": "番号法別表の該当事務", "persons": persons,
                           "handlers": handlers, "serious_incident": incident, "pia_done": True},
             "pia": {"work": "例示の事務", "level": stated}}
    path = tmp_path / "review.yaml"
    path.write_text(example_yaml(catalogue, Example(name="review", proposal=patch)), encoding="utf-8")
    report = check_file(path, engine)
    finding = next((f for f in report.findings if "PIA-001" in f.rules), None)
    assert (finding is not None) == fires
    if finding is not None:
        assert finding.severity == "high" and finding.form_section == "VI"
        required = {"focused": "基礎項目評価＋重点項目評価", "full": "基礎項目評価＋全項目評価"}
        assert any(label in finding.because for label in required.values())
