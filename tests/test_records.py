"""A council's own record: `shingikai record` writes it, `rules calibrate --records` learns from it.

The seed minutes are shipped as records too (docs/examples/records/, generated from
tests/seeds/gold.yaml: `UPDATE_GOLDEN=1 pytest tests/test_records.py` rewrites them).
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import jsonschema
import yaml
from typer.testing import CliRunner

from checker.cli import app
from checker.commands.record import seed_records
from checker.commands.schema import record_schema_text
from checker.core.record import load_record

from .conftest import ROOT

runner = CliRunner()
RECORDS = ROOT / "docs" / "examples" / "records"
SEED = ROOT / "proposals" / "seeds" / "000-1-sns-application-pilot.yaml"


def test_seed_records_are_generated_from_the_gold_file(catalogue):
    expected = seed_records(ROOT / "proposals" / "seeds", ROOT / "tests" / "seeds" / "gold.yaml", RECORDS,
                            {k: s.title for k, s in catalogue.sources.items()})
    if os.environ.get("UPDATE_GOLDEN"):
        RECORDS.mkdir(parents=True, exist_ok=True)
        for path, text in expected.items():
            path.write_text(text, encoding="utf-8")
    assert sorted(p.name for p in RECORDS.glob("*.yaml")) == sorted(p.name for p in expected)
    for path, text in expected.items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: UPDATE_GOLDEN=1 pytest tests/test_records.py"
    items = sum(load_record(p).items for p in expected)
    assert items == len(yaml.safe_load((ROOT / "tests" / "seeds" / "gold.yaml").read_text(encoding="utf-8")))


def test_record_schema_is_current_and_the_seed_records_validate():
    assert (ROOT / "schema" / "record.schema.json").read_text(encoding="utf-8") == record_schema_text(), \
        "run `shingikai schema --record -o schema/record.schema.json`"
    schema = json.loads(record_schema_text())
    for path in RECORDS.glob("*.yaml"):
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


def test_record_adds_an_item_with_the_findings_raised_and_not_raised(tmp_path):
    record = tmp_path / "council.yaml"
    result = runner.invoke(app, ["record", str(record), "-p", str(SEED), "--meeting", "第1回", "--date", "2030-05-20",
                                 "--council", "架空市個人情報保護審議会", "--raised", "identity_verification",
                                 "--unpredicted", "citizen_notice:利用は任意か", "--outcome", "approved",
                                 "--minutes", "12"])
    assert result.exit_code == 0, result.output
    data = load_record(record)
    item = data.meetings[0].items[0]
    assert data.council == "架空市個人情報保護審議会" and str(data.meetings[0].date) == "2030-05-20"
    assert item.raised == ["identity_verification"] and item.minutes == 12 and item.outcome == "approved"
    assert item.unpredicted[0].topic == "citizen_notice" and item.unpredicted[0].question == "利用は任意か"
    assert item.not_raised and not any(r.startswith("IDV-") for r in item.not_raised)
    assert (tmp_path / item.proposal).resolve() == SEED.resolve()
    # the same proposal in the same meeting is replaced, another meeting is added
    again = runner.invoke(app, ["record", str(record), "-p", str(SEED), "--meeting", "第1回", "--outcome", "noted"])
    other = runner.invoke(app, ["record", str(record), "-p", str(SEED), "--meeting", "第2回"])
    assert again.exit_code == 0 and other.exit_code == 0
    data = load_record(record)
    assert [len(m.items) for m in data.meetings] == [1, 1] and data.meetings[0].items[0].outcome == "noted"


def test_record_refuses_unknown_codes_and_never_writes_onto_the_proposal(tmp_path):
    proposal = tmp_path / "p.yaml"
    shutil.copy(SEED, proposal)
    before = proposal.read_bytes()
    typo = runner.invoke(app, ["record", str(tmp_path / "r.yaml"), "-p", str(proposal), "--meeting", "第1回",
                               "--council", "架空", "--raised", "TRN-99"])
    assert typo.exit_code == 2 and "TRN-99" in typo.output and "ルール ID でも論点コードでもありません" in typo.output
    assert not (tmp_path / "r.yaml").exists()
    onto = runner.invoke(app, ["record", str(proposal), "-p", str(proposal), "--meeting", "第1回", "--council", "架空"])
    assert onto.exit_code == 2 and "上書きしません" in onto.output
    assert proposal.read_bytes() == before


def _always_raising(tmp_path: Path, topic: str) -> Path:
    """A record of a council that raised `topic` on every seed item (and nothing else)."""
    folder = tmp_path / "records"
    folder.mkdir()
    items = [{"proposal": os.path.relpath(p, folder), "raised": [topic], "outcome": "approved", "minutes": 10}
             for p in sorted((ROOT / "proposals" / "seeds").glob("*.yaml"))]
    (folder / "council.yaml").write_text(yaml.safe_dump(
        {"council": "架空市個人情報保護審議会", "meetings": [{"meeting": "第1回", "items": items[:12]},
                                                              {"meeting": "第2回", "items": items[12:]}]},
        allow_unicode=True), encoding="utf-8")
    return folder


def test_calibrating_on_a_council_that_always_raises_a_topic_lifts_it_and_leaves_the_bundled_figures(tmp_path):
    bundled = (ROOT / "rules" / "likelihood.yaml").read_bytes()
    records = _always_raising(tmp_path, "logging_audit")
    own = tmp_path / "our-rules"
    own.mkdir()
    result = runner.invoke(app, ["rules", "calibrate", "--records", str(records), "-o", str(own / "calibration.yaml")])
    assert result.exit_code == 0, result.output
    assert (ROOT / "rules" / "likelihood.yaml").read_bytes() == bundled
    # every item took 10 minutes whatever was raised: the council's minutes model moves toward that
    outcome = yaml.safe_load((own / "calibration.yaml").read_text(encoding="utf-8"))["outcome"]
    assert outcome["base_minutes"] > 3.0 and outcome["minutes_per_topic"] < 3.3

    def logging_topic(args: list[str]) -> dict:
        out = runner.invoke(app, ["check", str(SEED), "-f", "json", *args])
        assert out.exit_code == 0, out.output
        report = json.loads(out.stdout)[0] if out.stdout.lstrip().startswith("[") else json.loads(out.stdout)
        return report, next(t for t in report["topics"] if t["topic"] == "logging_audit")

    before_report, before = logging_topic([])
    after_report, after = logging_topic(["--rules", str(own)])
    assert after["likelihood"] > before["likelihood"] + 0.1, (before, after)
    assert "記録" in after["likelihood_label"]
    n_items = len(list((ROOT / "proposals" / "seeds").glob("*.yaml")))
    assert "架空市個人情報保護審議会の記録" in after_report["calibration"] and f"{n_items}案件" in after_report["calibration"]
    assert "種の会議録" in before_report["calibration"]
    # the bundled output is unchanged by the council's file living elsewhere
    assert logging_topic([])[1] == before


def test_calibrate_records_never_writes_the_bundled_file(tmp_path):
    records = _always_raising(tmp_path, "logging_audit")
    bundled = (ROOT / "rules" / "likelihood.yaml").read_bytes()
    for target in ([], ["-o", str(ROOT / "rules" / "calibration.yaml")]):
        result = runner.invoke(app, ["rules", "calibrate", "--records", str(records), *target])
        assert result.exit_code == 2 and "同梱の数値は変えません" in result.output
    assert (ROOT / "rules" / "likelihood.yaml").read_bytes() == bundled
    assert not (ROOT / "rules" / "calibration.yaml").exists()


def test_cross_validation_has_a_per_record_mode(tmp_path):
    """benchmarks/crossval.py --records leaves one meeting of a record out and prints recall and reliability."""
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "crossval.py"), "--records", str(RECORDS)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    assert len(figures["folds"]) == 5 and figures["overall"]["items"] == 33
    assert [row["band"] for row in figures["reliability"]["topics"]] == ["likely", "possible", "unlikely"]
    assert "reliability of topics" in proc.stdout and "records in" in proc.stdout


def test_a_broken_record_file_is_named_with_its_line_and_left_as_it_was(tmp_path):
    record = tmp_path / "council.yaml"
    record.write_text("council: 架空\nmeetings:\n  - meeting: 第1回\n    items:\n      - proposal: a.yaml\n"
                      "        minutes: たくさん\n", encoding="utf-8")
    before = record.read_bytes()
    result = runner.invoke(app, ["record", str(record), "-p", str(SEED), "--meeting", "第1回"])
    assert result.exit_code == 2, result.output
    assert f"{record}:6:" in result.output and "minutes" in result.output
    assert record.read_bytes() == before
    calibrate = runner.invoke(app, ["rules", "calibrate", "--records", str(tmp_path), "-o", str(tmp_path / "out" / "calibration.yaml")])
    assert calibrate.exit_code == 2 and f"{record}:6:" in calibrate.output


def test_the_outcomes_a_secretariat_can_record_are_the_same_everywhere():
    """The record file's schema, the CLI's --outcome and the workbench's record tab offer one list."""
    import typing
    from checker.cli import RecordedOutcome
    from checker.commands.serve.workbench import OUTCOMES
    from checker.core.record import RECORD_OUTCOMES, RecordOutcome
    assert set(typing.get_args(RecordOutcome)) == set(RECORD_OUTCOMES) == {o.value for o in RecordedOutcome}
    assert OUTCOMES == RECORD_OUTCOMES
    help_text = runner.invoke(app, ["record", "--help"]).output
    assert all(name in help_text for name in RECORD_OUTCOMES)
