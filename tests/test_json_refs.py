"""The lighter JSON (`--format json_refs`): the same report as `--format json`, with each precedent
source and safeguard text said once in `references`, for `check` and `lint`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.reporters import references

from .conftest import ROOT
from .lint_samples import make_folder

runner = CliRunner()
EXAMPLES = sorted((ROOT / "proposals" / "examples").glob("*.yaml"))


def check(*args: str) -> dict:
    run = runner.invoke(app, ["check", *args])
    assert run.exit_code == 0, run.output
    return json.loads(run.stdout)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_a_report_resolves_to_the_full_json(path: Path) -> None:
    full = check(str(path), "--format", "json")
    light = check(str(path), "--format", "json_refs")
    table = light.pop("references")
    assert references.resolve(light, table) == full
    # no entry that no finding cites, and each cited once
    assert {f["rule_set"] for f in light["findings"]} == set(table["rule_sets"])
    cited_sources = {p["source"] for s in table["rule_sets"].values() for p in s["precedents"]}
    cited_safeguards = {s["id"] for f in light["findings"] for s in f["safeguards"]}
    assert set(table["sources"]) == cited_sources and set(table["safeguards"]) == cited_safeguards
    assert all(list(entries) == sorted(entries) for entries in table.values())
    for finding in light["findings"]:
        assert "precedents" not in finding and "questions" not in finding
        assert all("text" not in s and "write" not in s for s in finding["safeguards"])
    for rule_set in table["rule_sets"].values():
        assert all("title" not in p and "url" not in p for p in rule_set["precedents"])


def test_several_files_share_one_table() -> None:
    a, b = EXAMPLES[0], EXAMPLES[1]
    full = check(str(a), str(b), "--format", "json")
    light = check(str(a), str(b), "--format", "json_refs")
    assert set(light) == {"reports", "references"}
    assert [references.resolve(r, light["references"]) for r in light["reports"]] == full


def test_lint_json_refs_is_lint_json_with_one_table(tmp_path: Path, monkeypatch, engine) -> None:
    monkeypatch.chdir(tmp_path)
    make_folder(tmp_path, engine)
    runs = {name: runner.invoke(app, ["lint", "props", "-f", name, "-j", "1"]) for name in ("json", "json_refs")}
    assert runs["json"].exit_code == runs["json_refs"].exit_code
    full, light = json.loads(runs["json"].stdout), json.loads(runs["json_refs"].stdout)
    table = light.pop("references")
    for entry in light["files"]:
        if "report" in entry:
            entry["report"] = references.resolve(entry["report"], table)
    assert light == full
    assert any(entry.get("report", {}).get("findings") for entry in full["files"])  # something was lifted
    assert table["sources"] and table["safeguards"] and table["rule_sets"]
    # files share the table: a rule set found in several files is written once
    keys = [entry["report"]["findings"][i]["rule_set"] for entry in json.loads(runs["json_refs"].stdout)["files"]
            if "report" in entry for i in range(len(entry["report"]["findings"]))]
    assert len(keys) > len(set(keys)) == len(table["rule_sets"])


def test_a_rule_set_that_says_something_else_stays_in_its_finding() -> None:
    """Two findings of the same rules with different texts (possible when an output mixes reports
    made with different rule folders) are not merged into one entry: nothing is lost."""
    finding = {"rules": ["X-1"], "questions": ["q1"], "precedents": [], "likelihood_basis": "b", "safeguards": []}
    table = references.empty()
    first = references.lift({"findings": [finding]}, table)
    second = references.lift({"findings": [{**finding, "questions": ["q2"]}]}, table)
    assert first["findings"][0]["rule_set"] == "X-1" and "questions" not in first["findings"][0]
    assert second["findings"][0]["questions"] == ["q2"] and "rule_set" not in second["findings"][0]
    assert references.resolve(second, table)["findings"][0]["questions"] == ["q2"]
