"""What a rule author reads and writes with: the generated fact reference and rule schema, and the
guide's worked example of a municipality's own rules (docs/writing-rules.md), run as written."""
from __future__ import annotations

import json
import re

import pytest
import yaml
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from checker.cli import app
from checker.commands.schema import rule_schema_text
from checker.core.fact_schema import FACT_DOCS, FACT_FIELDS, FIELD_NOTES
from checker.reporters.rules.facts import render_facts

from .conftest import ROOT

MY_RULES = ROOT / "docs" / "examples" / "my-rules"
runner = CliRunner()


def test_the_fact_reference_is_current(catalogue):
    assert (ROOT / "docs" / "facts.md").read_text(encoding="utf-8") == render_facts(catalogue), \
        "docs/facts.md is stale: run `shingikai rules facts`"


def test_the_rule_schema_is_current():
    assert (ROOT / "schema" / "rule.schema.json").read_text(encoding="utf-8") == rule_schema_text(), \
        "schema/rule.schema.json is stale: run `shingikai rules schema`"


def test_every_fact_type_is_documented_and_every_note_names_a_field():
    assert set(FACT_DOCS) == set(FACT_FIELDS)
    assert not [(t, f) for t, notes in FIELD_NOTES.items() for f in notes if f not in FACT_FIELDS.get(t, {})]


def test_the_reference_lists_every_field_with_its_values(catalogue):
    text = render_facts(catalogue)
    for fact, fields in FACT_FIELDS.items():
        section = text.split(f"\n## {fact}\n", 1)[1].split("\n## ", 1)[0]
        assert all(f"| `{field}` |" in section for field in fields), fact
    assert "`usb`（USB メモリ）" in text                            # an enum field shows its values with labels
    assert "`pia`（" in text and "MYN-010" in text                  # facts derived by rules are listed too


@pytest.fixture(scope="module")
def rule_validator():
    return Draft202012Validator(json.loads(rule_schema_text()))


def test_every_bundled_and_example_rule_file_fits_the_rule_schema(rule_validator):
    files = [p for p in (ROOT / "rules").glob("*/*.yaml")] + list(MY_RULES.glob("*/*.yaml"))
    assert len(files) > 100
    wrong = {p.name: next(iter(rule_validator.iter_errors(yaml.safe_load(p.read_text(encoding="utf-8")))), None)
             for p in files}
    assert not {name: e.message for name, e in wrong.items() if e is not None}


@pytest.mark.parametrize(("where", "mistake"), [
    ({"medum": "usb"}, "a misspelt field"),
    ({"medium": "usbb"}, "a value the proposal schema does not have"),
    ({"encrypted": "yes"}, "a string for a yes/no field"),
    ({"medium": {"like": "usb"}}, "an unknown operator"),
])
def test_the_rule_schema_rejects_what_the_loader_rejects(rule_validator, where, mistake):
    data = yaml.safe_load((ROOT / "rules" / "transfer_method" / "TRN-001.yaml").read_text(encoding="utf-8"))
    data["when"] = {"all": [{"fact": "transfer", "where": where}]}
    assert list(rule_validator.iter_errors(data)), mistake


def test_the_guide_shows_the_example_rule_and_safeguard_as_they_are_in_the_repository():
    guide = (ROOT / "docs" / "writing-rules.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", guide, re.S)
    assert (MY_RULES / "misdelivery" / "REI-001.yaml").read_text(encoding="utf-8") in blocks
    safeguards = (MY_RULES / "safeguards.yaml").read_text(encoding="utf-8")
    assert any(block in safeguards for block in blocks)


def test_the_guides_example_rules_pass_rules_lint_and_fire_on_a_proposal(tmp_path):
    result = runner.invoke(app, ["rules", "lint", "--rules", str(MY_RULES)])
    assert result.exit_code == 0, result.output
    assert "すべての例が期待どおりです" in result.output
    proposal = tmp_path / "sms.yaml"
    proposal.write_text("id: t\ntitle: 健診のお知らせの SMS 送信\nprocedure: consultation\nkinds: [new_processing]\n"
                        "purpose: 受診を勧めるため\nsubjects: [{name: 児童, count: 300, children: true}]\n"
                        "data_items: [氏名, 電話番号]\ndeliveries: [{what: 健診のお知らせ, channel: sms}]\n", encoding="utf-8")
    report = runner.invoke(app, ["check", str(proposal), "--rules", str(MY_RULES)])
    assert report.exit_code == 0
    assert "REI-001 子どもに関する通知をメールや SMS で送る" in report.output
    assert "例示市 個人情報を取り扱う業務の委託に関する基準（例）〔例（2026年4月版）〕 第5条" in report.output


def test_rules_lint_names_the_file_and_the_unmet_expectation(tmp_path):
    folder = tmp_path / "my-rules"
    (folder / "misdelivery").mkdir(parents=True)
    for name in ("safeguards.yaml", "sources.yaml"):
        (folder / name).write_text((MY_RULES / name).read_text(encoding="utf-8"), encoding="utf-8")
    text = (MY_RULES / "misdelivery" / "REI-001.yaml").read_text(encoding="utf-8")
    (folder / "misdelivery" / "REI-001.yaml").write_text(text.replace("location: deliveries[0]", "location: subjects[0]"),
                                                         encoding="utf-8")
    result = runner.invoke(app, ["rules", "lint", "--rules", str(folder)])
    assert result.exit_code == 3
    assert "REI-001.yaml: REI-001 の該当例「sms-to-guardians」の location が 'deliveries[0]' です（期待: 'subjects[0]'）" in result.output
