"""`shingikai diff`: what a resubmission resolved, added and left unchanged."""
from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from checker.cli import app
from checker.commands.diff import diff_files

from .conftest import ROOT

EXAMPLE = ROOT / "proposals" / "examples" / "child-consultation-migration.yaml"


def run(*args: str):
    return CliRunner().invoke(app, ["diff", *map(str, args)])


def edited(tmp_path: Path, name: str, **changes) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_file_diffed_with_itself_shows_no_change():
    result = run(EXAMPLE, EXAMPLE, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["resolved"] == [] and data["added"] == [] and data["changed"] == []
    assert data["fields"] == [] and data["safeguards_declared"] == [] and data["has_changes"] is False
    assert {c["rule_id"] for c in data["unchanged"]} >= {"SEN-001", "TRN-001"}
    text = run(EXAMPLE, EXAMPLE)
    assert "変更はありません" in text.output


def test_reformatting_and_comments_are_not_changes(tmp_path, engine):
    # Same content, different YAML layout (block style, no comments): still no change.
    same = edited(tmp_path, "same.yaml")
    assert not diff_files(EXAMPLE, same, engine).has_changes


def test_declaring_the_safeguards_resolves_the_findings(tmp_path, engine):
    before = diff_files(EXAMPLE, EXAMPLE, engine)
    sen = next(c for c in before.unchanged if c.rule_id == "SEN-001")
    assert sen.status_before == "open"
    report_safeguards = ["sensitive-declaration", "sensitive-minimisation"]
    new = edited(tmp_path, "resubmitted.yaml", safeguards=report_safeguards,
                 sensitive_data={"included": True, "justification": "支援方針の判断に必要なため"})
    d = diff_files(EXAMPLE, new, engine)
    resolved = {c.rule_id: c for c in d.resolved}
    assert "SEN-001" in resolved
    assert resolved["SEN-001"].status_after in ("covered", "absent")
    assert [s.id for s in d.safeguards_declared] == report_safeguards
    assert "SEN-001" not in {c.rule_id for c in d.unchanged}
    paths = {f.path: f for f in d.fields}
    assert paths["sensitive_data.included"].before is None and paths["sensitive_data.included"].after is True
    assert paths["safeguards"].before is None and paths["safeguards"].after == report_safeguards

    result = run(EXAMPLE, new)
    assert result.exit_code == 0
    assert "解消した指摘" in result.output and "SEN-001" in result.output
    assert "+ sensitive-declaration" in result.output
    md = run(EXAMPLE, new, "-f", "md").output
    assert "## 解消した指摘" in md and "`sensitive_data.included`" in md


def test_a_new_risk_is_added_and_an_unrelated_edit_is_a_field_change(tmp_path, engine):
    old = edited(tmp_path, "old.yaml", transfers=[{"from": "子ども支援課", "to": "システム事業者", "medium": "lgwan"}])
    new = edited(tmp_path, "new.yaml", title="子ども家庭相談システムの更新")
    d = diff_files(old, new, engine)
    added = {c.rule_id: c for c in d.added}
    assert "TRN-001" in added and added["TRN-001"].status_before == "absent"
    assert {"title", "transfers[0].medium"} <= {f.path for f in d.fields}
    data = json.loads(run(old, new, "-f", "json").output)
    assert "TRN-001" in [c["rule_id"] for c in data["added"]]


def test_partial_safeguards_are_a_change_not_a_resolution(tmp_path, engine):
    # TRN-001 expects three measures: two of them in place lower it one level (half or more)
    new = edited(tmp_path, "partial.yaml", safeguards=["media-encryption", "handover-record"])
    d = diff_files(EXAMPLE, new, engine)
    trn = next(c for c in d.changed if c.rule_id == "TRN-001")
    assert (trn.status_before, trn.status_after) == ("open", "open")
    assert trn.residual_before == "medium" and trn.residual_after == "low"
    assert "TRN-001" not in {c.rule_id for c in d.resolved}


def test_invalid_new_version_exits_2_with_the_line(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\ntitle: t\nprocedure: consultation\nkinds: [outsorcing]\n", encoding="utf-8")
    result = run(EXAMPLE, broken)
    assert result.exit_code == 2
    assert "broken.yaml:4" in result.output


def test_list_items_are_matched_by_name_not_position(tmp_path, engine):
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    items = data["data_items"]
    old = edited(tmp_path, "old.yaml", data_items=items)
    new = edited(tmp_path, "new.yaml", data_items=["電話番号", *items[:2], {"name": items[2], "sensitive": False},
                                                   *items[3:]])
    changes = {f.path: (f.before, f.after) for f in diff_files(old, new, engine).fields}
    # One inserted item and one edited item: not a change at every later position.
    assert changes == {"data_items[0].name": (None, "電話番号"), "data_items[3].sensitive": (None, False)}
    renamed = edited(tmp_path, "renamed.yaml", data_items=["児童の氏名", *items[1:]])
    assert {f.path: (f.before, f.after) for f in diff_files(old, renamed, engine).fields} == {
        "data_items[0].name": (items[0], "児童の氏名")}


def test_open_to_covered_is_resolved_and_open_to_accepted_is_a_change(tmp_path, engine):
    covered = edited(tmp_path, "covered.yaml", safeguards=["media-encryption", "handover-record", "online-transfer"])
    d = diff_files(EXAMPLE, covered, engine)
    trn = next(c for c in d.resolved if c.rule_id == "TRN-001")
    assert (trn.status_before, trn.status_after) == ("open", "covered")
    accepted = edited(tmp_path, "accepted.yaml", accepted_risks=[{"rule": "TRN-001", "reason": "移行は 1 回限りで職員が立ち会うため"}])
    d2 = diff_files(EXAMPLE, accepted, engine)
    change = next(c for c in d2.changed if c.rule_id == "TRN-001")
    assert (change.status_before, change.status_after) == ("open", "accepted")
    assert "TRN-001" not in {c.rule_id for c in d2.resolved}
    # Back again: the accepted risk withdrawn makes the finding open again, shown as added (reopened).
    d3 = diff_files(accepted, EXAMPLE, engine)
    back = next(c for c in d3.added if c.rule_id == "TRN-001")
    assert back.reopened and back.status_before == "accepted"
