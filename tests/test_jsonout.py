"""The fast pretty JSON writes exactly what json.dumps(..., ensure_ascii=False, indent=2) writes."""
from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.core.errors import InputError
from checker.core.pipeline import check_file
from checker.reporters.jsonout import dumps

ROOT = Path(__file__).resolve().parent.parent


def same(value) -> None:
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_same_text_as_json_dumps_for_any_json_value(value):
    same(value)


def test_awkward_strings_and_numbers():
    for value in ["\x00\x1f\x7f", "\u2028\u2029", "</script>", "改行\n\tタブ", "😀", "\ud800", "\\\"",
                  2**63, -2**63, 10**30, 1e-7, 1e16, float("nan"), float("inf"), {1: "int key"},
                  {"empty": [], "also": {}}, [], {}]:
        same(value)


def test_same_text_for_real_reports(engine):
    for path in sorted((ROOT / "proposals").rglob("*.yaml")):
        try:
            records = check_file(path, engine).as_records()
        except InputError:  # an invalid fixture is some other test's business
            continue
        same(records)
