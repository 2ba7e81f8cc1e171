"""Every rule's examples: each `fires` example raises the rule, each `quiet` one does not.

Discovered from the rule files (sqlfluff style): `pytest -k TRN-001` runs one rule's cases.
"""
from __future__ import annotations

import pytest

from checker.core.catalogue import load_catalogue
from checker.core.examples import example_yaml, iter_examples
from checker.core.pipeline import check_file

_CATALOGUE = load_catalogue()
CASES = [pytest.param(rule.id, kind, example, id=f"{rule.id}-{kind}-{example.name}")
         for rule, kind, example in iter_examples(_CATALOGUE)]


@pytest.mark.parametrize(("rule_id", "kind", "example"), CASES)
def test_rule_example(rule_id, kind, example, engine, catalogue, tmp_path):
    path = tmp_path / f"{example.name}.yaml"
    path.write_text(example_yaml(catalogue, example), encoding="utf-8")
    findings = check_file(path, engine).findings
    fired = {rid for f in findings for rid in f.rules}
    if kind == "fires":
        assert rule_id in fired, f"{rule_id} should fire on {example.name}; fired: {sorted(fired)}"
        # ... and stay open: a safeguard ticked by the very facts that make the rule fire would
        # make the rule cover itself
        finding = next(f for f in findings if rule_id in f.rules)
        assert finding.status == "open", f"{rule_id} is {finding.status} on its own example {example.name}"
    else:
        assert rule_id not in fired, f"{rule_id} must stay quiet on {example.name}"


def test_example_base_fires_no_rule(engine, catalogue, tmp_path):
    """The base every example is merged over must itself be clean, or examples prove nothing."""
    from checker.core.catalogue import Example
    path = tmp_path / "base.yaml"
    path.write_text(example_yaml(catalogue, Example(name="base")), encoding="utf-8")
    assert [f.rule_id for f in check_file(path, engine).findings] == []
