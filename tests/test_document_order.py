"""What a report shows first follows the proposal file, not the order durable happened to match in:
the values a `because` lists, the statement 「記載から確認」 points to, the council's grounds."""
from __future__ import annotations

import datetime as dt

import pytest

from checker.core.engine import Engine
from checker.core.pipeline import check_loaded
from checker.core.validation import load_proposal
from checker.reporters import render

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "proposals" / "examples").glob("*.yaml"))
DAY = dt.date(2026, 12, 7)


class Reversed:
    """The same engine, handing its matches back in the opposite order."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.catalogue = engine.catalogue

    def evaluate(self, facts):
        return list(reversed(self.engine.evaluate(facts)))

    def __getattr__(self, name):
        return getattr(self.engine, name)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_report_does_not_depend_on_the_order_of_the_matches(path, engine):
    loaded = load_proposal(path)
    as_matched = render("report", "json", [check_loaded(loaded, engine, DAY)])
    assert render("report", "json", [check_loaded(loaded, Reversed(engine), DAY)]) == as_matched


def test_values_are_listed_as_the_file_lists_them(engine):
    path = ROOT / "proposals" / "examples" / "child-consultation-migration.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.index("虐待の状況") < text.index("障害の有無")
    report = check_loaded(load_proposal(path), engine, DAY)
    listed = [f.because for f in report.findings if "虐待の状況" in f.because and "障害の有無" in f.because]
    assert listed and all(b.index("虐待の状況") < b.index("障害の有無") for b in listed)


def test_a_safeguard_stated_in_several_places_points_to_the_first(engine):
    """Both transfers of the example are encrypted media with the password sent apart: 「記載から確認」
    names the first of them."""
    path = ROOT / "proposals" / "examples" / "complete-outsourcing.yaml"
    report = check_loaded(load_proposal(path), engine, DAY)
    stated = {s.stated_in for f in report.findings for s in f.safeguards if s.id == "media-encryption"}
    assert stated == {"transfers[0]"}


def test_a_derived_fact_points_to_its_first_pattern_whatever_durables_frame_order(engine):
    """CLD-001 derives `uncontrolled_cloud` from a store and a data item: it points to the store
    (the condition's first pattern) even when durable's frame lists the data item first."""
    store = {"t": "system", "at": "systems.0"}
    item = {"t": "data_item", "at": "data_items.3"}
    assert engine._derived_fact("CLD-001", {"data_item": item, "store": store})["at"] == "systems.0"
    assert engine._derived_fact("CLD-001", {"store": store, "data_item": item})["at"] == "systems.0"
    assert engine._derived_fact("CLD-001", {"data_item": item})["at"] == "data_items.3"
