"""Every rule's examples, as the rule file states them: each `fires` example raises the rule and
shows what its `expect:` says (severity, status, deferral, location, likelihood band, words of
the explanation, form section, rules that stay silent); each `quiet` one does not raise it.

Discovered from the rule files (sqlfluff style): `pytest -k TRN-001` runs one rule's cases, and
`shingikai rules lint` checks the same for a municipality's own rules.
"""
from __future__ import annotations

import pytest

from checker.core.catalogue import Example, load_catalogue
from checker.core.examples import check_example, iter_examples, unmet

_CATALOGUE = load_catalogue()
CASES = [pytest.param(rule, kind, example, id=f"{rule.id}-{kind}-{example.name}")
         for rule, kind, example in iter_examples(_CATALOGUE)]


@pytest.mark.parametrize(("rule", "kind", "example"), CASES)
def test_rule_example(rule, kind, example, engine, catalogue):
    report = check_example(catalogue, engine, example)
    problems = unmet(rule, kind, example, report)
    assert not problems, f"{catalogue.files[rule.id]}: " + " / ".join(problems)


def test_example_base_fires_no_rule(engine, catalogue):
    """The base every example is merged over must itself be clean, or examples prove nothing."""
    report = check_example(catalogue, engine, Example(name="base"))
    assert [f.rule_id for f in report.findings] == []


def test_a_finding_that_differs_from_its_expectation_is_described(engine, catalogue):
    """What `shingikai rules lint` and this test print when a rule stops behaving as its file says."""
    from checker.core.catalogue import Expectation
    rule = catalogue.by_id["TRN-001"]
    example = rule.examples.fires[0]
    others = sorted({r for f in check_example(catalogue, engine, example).findings for r in f.rules} - {"TRN-001"})
    assert others, "the example should raise some other rule too, for the `silent` case"
    wrong = example.model_copy(update={"expect": Expectation(
        severity="low", status="covered", location="vendors[0]", likelihood="unlikely",
        because=["書かれていない語"], silent=[others[0]])})
    problems = unmet(rule, "fires", wrong, check_example(catalogue, engine, wrong))
    assert len(problems) == 6, problems
    for words in (("状態が open", "covered"), ("severity", "'low'"), ("location", "transfers[0]", "vendors[0]"),
                  ("likelihood", "unlikely"), ("書かれていない語",), (others[0], "silent")):
        assert any(all(w in p for w in words) for p in problems), (words, problems)


def test_expectations_are_checked_when_the_rules_load(tmp_path):
    """An expectation on a quiet example, or one naming a rule that does not exist, breaks the rule file."""
    import yaml

    from checker.core.errors import RuleError
    source = _CATALOGUE.files["TRN-001"]
    for kind, expect, message in (("quiet", {"severity": "high"}, "fires"), ("fires", {"silent": ["XYZ-999"]}, "XYZ-999")):
        folder = tmp_path / kind / "transfer_method"
        folder.mkdir(parents=True)
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        data["id"] = "TRN-901"
        data["examples"][kind][0]["expect"] = expect
        (folder / "TRN-901.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        with pytest.raises(RuleError) as raised:
            load_catalogue([folder.parent])
        assert message in str(raised.value) and "TRN-901" in str(raised.value)
