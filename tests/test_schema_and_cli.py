"""The generated JSON Schema, the scaffold, and the `check` / `rules` commands as a user runs them."""
from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from checker.cli import app
from checker.commands.new import KINDS
from checker.commands.schema import schema_text

from .conftest import ROOT

runner = CliRunner()
EXAMPLE = ROOT / "proposals" / "examples" / "child-consultation-migration.yaml"


def test_committed_schema_is_current():
    committed = (ROOT / "schema" / "proposal.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "schema/ is stale: run `shingikai schema -o schema/proposal.schema.json`"


def test_every_bundled_proposal_carries_the_schema_line_and_validates_against_it():
    schema = json.loads(schema_text())
    for path in sorted((ROOT / "proposals").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema="), path.name
        # Editors see YAML dates as strings, as JSON does.
        data = json.loads(json.dumps(yaml.safe_load(text), default=str, ensure_ascii=False))
        jsonschema.validate(data, schema)


@pytest.mark.parametrize("kind", KINDS)
def test_new_prints_a_valid_commented_proposal(kind, tmp_path):
    result = runner.invoke(app, ["new", "--kind", kind])
    assert result.exit_code == 0
    assert "# " in result.output and f"kinds: [{kind}]" in result.output
    path = tmp_path / "new.yaml"
    path.write_text(result.output, encoding="utf-8")
    checked = runner.invoke(app, ["check", str(path)])
    assert checked.exit_code == 0, checked.output


def test_new_rejects_an_unknown_kind():
    result = runner.invoke(app, ["new", "--kind", "outsorcing"])
    assert result.exit_code == 2 and "outsourcing" in result.output


def test_check_text_report_reads_as_japanese():
    result = runner.invoke(app, ["check", str(EXAMPLE)])
    assert result.exit_code == 0
    out = result.output
    assert "子ども家庭相談システムの賃貸借とデータ移行" in out
    assert "[高] SEN-001" in out and "想定される質問" in out and "[未]" in out


def test_check_json_contract(tmp_path):
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["check", str(EXAMPLE), "--format", "json", "--output", str(out)])
    assert result.exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) >= {"findings", "summary"}
    finding = next(f for f in data["findings"] if f["rule_id"] == "SEN-001")
    assert set(finding) >= {"rule_id", "title", "topic", "severity", "because", "questions",
                            "safeguards", "precedents"}
    assert finding["severity"] == "high" and finding["questions"]
    assert {"id", "text", "declared"} <= set(finding["safeguards"][0])
    assert {"source", "item", "note"} <= set(finding["precedents"][0])
    assert data["summary"]["risk"] == "high"
    again = runner.invoke(app, ["check", str(EXAMPLE), "--format", "json"])
    assert json.loads(again.output) == data, "two runs must give the same JSON"


def test_check_markdown():
    result = runner.invoke(app, ["check", str(EXAMPLE), "--format", "md"])
    assert result.exit_code == 0
    assert result.output.startswith("# ") and "## SEN-001" in result.output


def test_declared_safeguards_are_ticked_and_cover_the_finding(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8") + "safeguards: [sensitive-declaration, sensitive-minimisation]\n"
    path = tmp_path / "declared.yaml"
    path.write_text(text, encoding="utf-8")
    data = json.loads(runner.invoke(app, ["check", str(path), "--format", "json"]).output)
    finding = next(f for f in data["findings"] if f["rule_id"] == "SEN-001")
    assert finding["status"] == "covered"
    assert all(s["declared"] for s in finding["safeguards"])


def test_rules_list_and_show():
    listed = runner.invoke(app, ["rules", "list", "--format", "json"])
    assert listed.exit_code == 0
    rules = json.loads(listed.output)
    assert {"id", "title", "topic", "severity", "precedents"} <= set(rules[0])
    shown = runner.invoke(app, ["rules", "show", "TRN-001"])
    assert shown.exit_code == 0 and "TRN-001" in shown.output and "想定される質問" in shown.output
    missing = runner.invoke(app, ["rules", "show", "TRN-01"])
    assert missing.exit_code == 2 and "TRN-001" in missing.output


def test_broken_extra_rules_exit_3(tmp_path):
    folder = tmp_path / "ours" / "transfer_method"
    folder.mkdir(parents=True)
    (folder / "TRN-500.yaml").write_text("id: TRN-500\ntitle: 壊れたルール\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(EXAMPLE), "--rules", str(tmp_path / "ours")])
    assert result.exit_code == 3
    assert "TRN-500.yaml" in result.output and "Traceback" not in result.output


def test_rules_lint_passes_on_the_bundled_rules():
    result = runner.invoke(app, ["rules", "lint"])
    assert result.exit_code == 0, result.output
    assert "すべての例が期待どおり" in result.output


def test_rules_lint_reports_an_example_that_does_not_fire(tmp_path):
    folder = tmp_path / "ours" / "transfer_method"
    folder.mkdir(parents=True)
    text = (ROOT / "rules" / "transfer_method" / "TRN-001.yaml").read_text(encoding="utf-8")
    # Our own rule whose "fires" example is really a quiet one.
    text = text.replace("id: TRN-001", "id: TRN-901").replace("medium: usb}]", "medium: lgwan}]")
    (folder / "TRN-901.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["rules", "lint", "--rules", str(tmp_path / "ours")])
    assert result.exit_code == 3
    assert "TRN-901" in result.output and "usb-to-vendor" in result.output


def test_the_schema_completes_safeguard_and_rule_ids_and_rejects_unknown_ones():
    """An editor offers every safeguard id and rule id with its text, and flags a misspelt one."""
    schema = json.loads(schema_text())
    items = schema["properties"]["safeguards"]["items"]["oneOf"]
    ids = {choice["const"]: choice["description"] for choice in items}
    assert "deletion-certificate" in ids and ids["deletion-certificate"]
    rules = {c["const"] for c in schema["$defs"]["AcceptedRisk"]["properties"]["rule"]["oneOf"]}
    assert "SEN-001" in rules
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data = json.loads(json.dumps(data, default=str, ensure_ascii=False))
    jsonschema.validate({**data, "safeguards": ["deletion-certificate"]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "safeguards": ["deletion-certificat"]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "accepted_risks": [{"rule": "SEN-0001", "reason": "理由"}]}, schema)


def test_schema_with_own_rules_completes_their_ids_too(tmp_path):
    own = ROOT / "docs" / "examples" / "my-rules"
    out = tmp_path / "own.schema.json"
    result = runner.invoke(app, ["schema", "--rules", str(own), "-o", str(out)])
    assert result.exit_code == 0, result.output
    schema = json.loads(out.read_text(encoding="utf-8"))
    rules = {c["const"] for c in schema["$defs"]["AcceptedRisk"]["properties"]["rule"]["oneOf"]}
    assert "REI-001" in rules and "SEN-001" in rules


def test_every_field_of_the_proposal_schema_has_a_japanese_description():
    """Editors and the browser workbench show each field's description as its label and help: a field
    without one would show the English identifier to a clerk."""
    schema = json.loads(schema_text())
    objects = [("Proposal", schema)] + [(name, d) for name, d in schema["$defs"].items() if "properties" in d]
    missing = [f"{name}.{key}" for name, d in objects for key, field in d["properties"].items()
               if not field.get("description")]
    assert not missing, missing
