"""`shingikai lint`: SARIF schema, finding lines, parallel = serial, discovery, thresholds, baseline."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from checker.cli import app
from checker.commands import lint, pool
from checker.commands import files as lint_files
from checker.commands.lint import results as lint_results
from checker.reporters import names, render_lint
from checker.reporters.lint.github import command

from .conftest import ROOT
from .lint_samples import BROKEN, HIGH, SEN_LINE, TRN_LINE, accepted_text, base, dump, make_folder

runner = CliRunner()
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch, engine) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_folder(tmp_path, engine)


def invoke(*args: str):
    return runner.invoke(app, ["lint", *args])


# --- SARIF against the official OASIS schema
def test_vendored_schema_is_the_oasis_sarif_2_1_0_schema():
    assert SCHEMA["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]


def test_sarif_of_a_folder_with_every_kind_of_file_is_valid(folder):
    log = json.loads(invoke("props", "-f", "sarif").stdout)
    VALIDATOR.validate(log)
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"SEN-005", "TRN-001", "INPUT"}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(r["ruleId"] == rules[r["ruleIndex"]]["id"] for r in results)


def test_format_checks_are_active_so_uris_are_really_checked():
    # rfc3986-validator (test extra) lets jsonschema check "uri" formats, as GitHub's upload does.
    assert not VALIDATOR.is_valid({"version": "2.1.0", "runs": [{"tool": {"driver": {
        "name": "x", "rules": [{"id": "A", "helpUri": "docs/rules.md#A"}]}}}]})


def test_japanese_file_names_give_valid_uris_and_no_relative_help_uri(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SHINGIKAI_DOCS_URL", raising=False)
    (tmp_path / "案件 一覧").mkdir()
    (tmp_path / "案件 一覧" / "健診 通知.yaml").write_text(HIGH, encoding="utf-8")
    log = json.loads(invoke("案件 一覧", "-f", "sarif").stdout)
    VALIDATOR.validate(log)
    (result, *_) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "SEN-005"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "%E6%A1%88%E4%BB%B6%20%E4%B8%80%E8%A6%A7/%E5%81%A5%E8%A8%BA%20%E9%80%9A%E7%9F%A5.yaml"
    from urllib.parse import unquote
    assert unquote(uri) == "案件 一覧/健診 通知.yaml"
    rule = next(r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "SEN-005")
    if "helpUri" not in rule:  # no docs address configured: the help text names the docs section
        assert "docs/rules.md#SEN-005" in rule["help"]["text"]


def test_the_schema_check_would_catch_a_wrong_level(folder):
    # The validation above can fail: our severity words are not SARIF levels.
    log = json.loads(invoke("props", "-f", "sarif").stdout)
    log["runs"][0]["results"][0]["level"] = "high"
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(log)


def test_sarif_levels_follow_severity_not_everything_is_an_error(folder):
    log = json.loads(invoke("props/sub/high.yaml", "-f", "sarif").stdout)
    levels = {r["ruleId"]: r["level"] for r in log["runs"][0]["results"]}
    assert levels["SEN-005"] == "error" and levels["TRN-001"] == "warning"


# --- every finding's line points at the YAML node it names
def _node_position(text: str, path: str) -> tuple[int, int]:
    """Independent of checker.loading: walk PyYAML's pure-Python node tree along 'a.b[1]'."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    mark = node.start_mark
    for part in [p for p in path.replace("[", ".[").split(".") if p]:
        if part.startswith("["):
            node = node.value[int(part[1:-1])]
            mark = node.start_mark
        else:
            key, node = next((k, v) for k, v in node.value if k.value == part)
            mark = key.start_mark
    return mark.line + 1, mark.column + 1


PROPOSALS = sorted((ROOT / "proposals").rglob("*.yaml"))


@pytest.mark.parametrize("path", [None, *PROPOSALS], ids=lambda p: "high.yaml" if p is None else p.name)
def test_each_finding_location_is_the_line_and_column_of_its_node(path, tmp_path, engine):
    if path is None:
        path = tmp_path / "high.yaml"
        path.write_text(HIGH, encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    result = lint.lint_one(str(path), engine)
    assert result.error is None, str(result.error)
    for finding in result.findings:
        for loc in finding.locations:
            assert (loc.line, loc.column) == _node_position(text, loc.path), (finding.rule_id, loc.path)


def test_a_transfer_finding_is_on_the_line_of_that_list_item(tmp_path, engine):
    path = tmp_path / "high.yaml"
    path.write_text(HIGH, encoding="utf-8")
    findings = {f.rule_id: f for f in lint.lint_one(str(path), engine).findings}
    lines = HIGH.splitlines()
    trn, sen = findings["TRN-001"].location, findings["SEN-005"].location
    assert trn.path == "transfers[1]" and trn.line == TRN_LINE and "medium: usb" in lines[trn.line - 1]
    assert sen.path == "data_items[1]" and sen.line == SEN_LINE and lines[sen.line - 1].strip() == "- 既往歴"


# --- parallel output is the serial output
def _corpus(root: Path, engine, count: int = 60) -> Path:
    folder = root / "corpus"
    folder.mkdir()
    accepted = accepted_text(engine)
    clean = dump(base())
    for i in range(count):
        text = [HIGH, BROKEN, accepted, clean][i % 4].replace("健診結果の通知の委託", f"案件 {i}")
        (folder / f"p{i:03d}.{'yml' if i % 5 == 0 else 'yaml'}").write_text(text, encoding="utf-8")
    return folder


def test_parallel_lint_renders_exactly_what_the_serial_lint_renders(tmp_path, engine):
    folder = _corpus(tmp_path, engine)
    serial = lint.run([folder], jobs=1)
    parallel = lint.run([folder], jobs=2)
    assert len(serial.files) == 60 and serial.invalid
    for name in names("lint"):
        assert render_lint(name, parallel) == render_lint(name, serial), name


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_command_prints_what_the_library_renders_from_full_results(tmp_path, engine, monkeypatch, jobs):
    # `shingikai lint` renders each file where it was linted and never holds a Report; the
    # library renders from full results. Every format must come out the same, baseline included.
    monkeypatch.chdir(tmp_path)
    folder = _corpus(tmp_path, engine, count=60)
    library = lint.run([folder])
    for name in names("lint"):
        run = invoke(str(folder), "-f", name, "-j", jobs)
        assert run.exit_code == library.exit_code() == 2
        assert run.stdout == render_lint(name, library), name
    # a baseline written from a third of the files hides exactly their findings
    from checker.commands.lint import baseline
    recorded = [f for i, f in enumerate(library.files) if i % 3 == 0]
    (tmp_path / "b.json").write_text(baseline.write(tmp_path / "b.json", recorded), encoding="utf-8")
    known = baseline.read(tmp_path / "b.json")
    expected = lint_results.LintResults(files=[baseline.apply_one(f, known, tmp_path) for f in library.files], rules=library.rules)
    for name in names("lint"):
        run = invoke(str(folder), "-f", name, "-j", jobs, "--baseline", "b.json")
        assert run.stdout == render_lint(name, expected), name
    assert "ベースライン記録済み" in invoke(str(folder), "-j", jobs, "--baseline", "b.json").stdout


def test_parallel_lint_with_another_thread_alive_uses_fresh_workers_and_the_same_output(tmp_path, engine):
    # Forking while another thread runs can deadlock the child: then workers start fresh
    # (forkserver) and compile their own engine, and the output must not change.
    import threading
    folder = _corpus(tmp_path, engine, count=20)
    serial = lint.run([folder], jobs=1)
    assert pool._context().get_start_method() == "fork"
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert pool._context().get_start_method() == "forkserver"
        parallel = lint.run([folder], jobs=2)
    finally:
        stop.set()
        other.join()
    for name in names("lint"):
        assert render_lint(name, parallel) == render_lint(name, serial), name


def test_cli_jobs_option_gives_the_same_output(tmp_path, engine, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _corpus(tmp_path, engine, count=12)
    one, two = invoke("corpus", "-j", "1"), invoke("corpus", "-j", "2")
    assert one.exit_code == two.exit_code == 2
    assert one.stdout == two.stdout and "corpus/p001.yaml:5:12: error INPUT" in one.stdout


def test_the_command_as_a_process_writes_everything_before_it_exits(tmp_path, engine):
    # `shingikai` ends with os._exit after flushing (no slow interpreter teardown): stdout to a
    # pipe, stderr and an --output file must still be complete, and the exit code right.
    import subprocess
    import sys
    folder = _corpus(tmp_path, engine, count=60)  # above PARALLEL_THRESHOLD: a process pool runs
    expected = invoke(str(folder))
    run = subprocess.run([sys.executable, "-m", "checker", "lint", str(folder)], capture_output=True,
                         cwd=tmp_path, timeout=120)
    assert run.returncode == expected.exit_code == 2
    assert run.stdout.decode("utf-8") == expected.stdout
    assert run.stdout.decode("utf-8").rstrip().endswith("入力エラー 15 ファイル")
    out = tmp_path / "lint.sarif"
    run = subprocess.run([sys.executable, "-m", "checker", "lint", str(folder), "-f", "sarif", "-o", str(out)],
                         capture_output=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 2 and "60 ファイルを点検" in run.stderr.decode("utf-8")
    VALIDATOR.validate(json.loads(out.read_text(encoding="utf-8")))


def test_default_jobs_is_serial_for_small_folders_and_all_cores_for_large_ones():
    assert pool.default_jobs(10) == 1 and pool.default_jobs(pool.PARALLEL_THRESHOLD) == 1
    assert pool.default_jobs(500) == len(__import__("os").sched_getaffinity(0))


# --- discovery
def test_discovery_is_recursive_sorted_and_skips_hidden_folders(tmp_path):
    for name in ["b.yaml", "a/z.yml", "a/c.yaml", ".github/workflows/ci.yml", "a/.hidden.yaml", "notes.txt",
                 ".pre-commit-config.yaml"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x: 1\n", encoding="utf-8")
    found = lint_files.discover([tmp_path, tmp_path / "b.yaml"])
    assert [Path(f).relative_to(tmp_path).as_posix() for f in found] == ["a/c.yaml", "a/z.yml", "b.yaml"]
    # A file named on the command line is linted whatever its name.
    assert lint_files.discover([tmp_path / ".pre-commit-config.yaml"]) == [(tmp_path / ".pre-commit-config.yaml").as_posix()]


def test_discovery_tells_files_apart_by_real_path_and_follows_no_symlinked_folder(tmp_path, monkeypatch):
    # The same file reached twice (named, through a symlink, or via "./") is linted once; a
    # symlinked folder is not walked into (a link to ".." would loop); .YAML counts too.
    import os
    root = tmp_path / "props"
    for name in ["a.yaml", "sub/b.YAML", "sub/deep/c.yml", ".hidden/d.yaml"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x: 1\n", encoding="utf-8")
    os.symlink(root / "a.yaml", root / "link-to-a.yaml")
    os.symlink(root / "sub", root / "linked-folder")
    os.symlink(root, root / "sub" / "loop")
    os.symlink(root / "missing.yaml", root / "broken.yaml")
    monkeypatch.chdir(tmp_path)
    found = lint_files.discover(["props", "./props/", "props/a.yaml", root / "sub" / "b.YAML"])
    assert found == ["props/a.yaml", "props/broken.yaml", "props/sub/b.YAML", "props/sub/deep/c.yml"]
    # the agenda's view: one folder, its files sorted, the link to a.yaml taken as a.yaml itself
    assert lint_files.find([root]).files == [f"{root.as_posix()}/{name}" for name in
                                             ["a.yaml", "broken.yaml", "sub/b.YAML", "sub/deep/c.yml"]]


def test_a_missing_path_is_an_input_error_and_the_other_files_are_still_linted(folder):
    run = invoke("props/sub/high.yaml", "props/nothing.yaml")
    assert run.exit_code == 2
    assert "props/nothing.yaml:1:1: error INPUT ファイルが見つかりません" in run.stdout
    assert "props/sub/high.yaml:16:5: 高 SEN-005" in run.stdout


def test_an_empty_folder_is_not_a_failure_but_is_said(tmp_path):
    run = invoke(str(tmp_path))
    assert run.exit_code == 0 and "見つかりませんでした" in run.stderr


# --- exit codes and --fail-on
def _results_with(engine, tmp_path, severity: str, status: str = "open") -> lint_results.LintResults:
    path = tmp_path / "high.yaml"
    path.write_text(HIGH, encoding="utf-8")
    result = lint.lint_one(str(path), engine)
    finding = next(f for f in result.findings if f.rule_id == "TRN-001")
    finding = finding.model_copy(update={"residual_severity": severity, "status": status})
    report = result.report.model_copy(update={"findings": [finding]})
    return lint_results.LintResults(files=[lint_results.FileResult(path=str(path), report=report)])


@pytest.mark.parametrize("severity,fail_on,code", [
    ("high", "high", 1), ("medium", "high", 0), ("medium", "medium", 1), ("low", "medium", 0),
    ("low", "low", 1), ("high", "none", 0)])
def test_fail_on_threshold_uses_the_residual_severity(engine, tmp_path, severity, fail_on, code):
    from dataclasses import replace
    assert replace(_results_with(engine, tmp_path, severity), fail_on=fail_on).exit_code() == code


@pytest.mark.parametrize("status", ["accepted", "covered"])
def test_accepted_and_covered_findings_never_fail(engine, tmp_path, status):
    from dataclasses import replace
    assert replace(_results_with(engine, tmp_path, "high", status), fail_on="low").exit_code() == 0


def test_an_invalid_file_wins_over_findings_and_broken_rules_exit_3(folder, tmp_path):
    assert invoke("props").exit_code == 2
    bad_rules = tmp_path / "our-rules" / "transfer_method"
    bad_rules.mkdir(parents=True)
    (bad_rules / "XYZ-001.yaml").write_text("id: XYZ-001\ntitle: 壊れたルール\n", encoding="utf-8")
    run = invoke("props", "--rules", str(tmp_path / "our-rules"))
    assert run.exit_code == 3 and "XYZ-001" in run.stderr


def test_an_accepted_risk_needs_a_reason(folder):
    path = folder / "accepted.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "reason: 既往歴は受診勧奨の対象を絞るためだけに使い、閲覧者を保健師に限る", "reason: ''", 1), encoding="utf-8")
    run = invoke(str(path))
    assert run.exit_code == 2 and "error INPUT" in run.stdout and "reason" in run.stdout


# --- formats and outputs
def test_each_format_goes_to_its_own_output_in_order(folder):
    Path("out").mkdir()  # output folders are the user's to make
    run = invoke("props", "-f", "sarif", "-o", "out/a.sarif", "-f", "junit", "-o", "out/a.xml", "-f", "json")
    assert run.exit_code == 2
    assert json.loads(Path("out/a.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert ET.parse("out/a.xml").getroot().tag == "testsuites"
    assert json.loads(run.stdout)["exit_code"] == 2


def test_only_one_format_may_go_to_the_screen(folder):
    run = invoke("props", "-f", "sarif", "-f", "junit")
    assert run.exit_code == 2 and "--output" in run.stderr
    assert invoke("props", "-o", "a.txt", "-o", "b.txt").exit_code == 2


def test_json_lists_every_file_with_its_report_or_errors(folder):
    data = json.loads(invoke("props", "-f", "json").stdout)
    files = {f["file"]: f for f in data["files"]}
    assert list(files) == sorted(files)
    assert files["props/broken.yaml"]["valid"] is False and files["props/broken.yaml"]["errors"][0]["line"] == 5
    sen = [f for f in files["props/accepted.yaml"]["report"]["findings"] if f["rule_id"] == "SEN-005"]
    assert sen[0]["status"] == "accepted"


def test_junit_counts_a_clean_file_as_a_passing_test(folder):
    (folder / "broken.yaml").unlink()
    root = ET.fromstring(invoke("props", "-f", "junit").stdout.encode("utf-8"))
    clean = next(s for s in root if s.get("name") == "props/clean.yaml")
    assert clean.get("tests") == "1" and clean.get("failures") == "0" and clean.find("testcase/failure") is None
    assert int(root.get("failures")) == sum(int(s.get("failures")) for s in root)


def test_github_commands_escape_what_would_break_them():
    line = command("error", "a,b:c.yaml", 3, 1, "T: x, y", "50% 完了\n次の行")
    assert line == "::error file=a%2Cb%3Ac.yaml,line=3,col=1,title=T%3A x%2C y::50%25 完了%0A次の行"


# --- baseline
def test_baseline_survives_edits_above_and_reports_only_new_findings(folder):
    (folder / "broken.yaml").unlink()
    assert invoke("props", "--write-baseline", "lint-baseline.json").exit_code == 0
    entries = json.loads(Path("lint-baseline.json").read_text(encoding="utf-8"))["findings"]
    # a list item is named by its identifying values, not by its position
    assert {"file": "props/sub/high.yaml", "rule": "TRN-001", "path": "transfers[from=市,to=委託先A,medium=usb]"} in entries
    assert not any(e["file"] == "props/accepted.yaml" and e["rule"] == "SEN-005" for e in entries)
    high = folder / "sub" / "high.yaml"
    high.write_text("# 追記\n# 追記\n" + high.read_text(encoding="utf-8"), encoding="utf-8")
    run = invoke("props", "--baseline", "lint-baseline.json")
    assert run.exit_code == 0 and "props/sub/high.yaml" not in run.stdout and "ベースライン記録済み" in run.stdout
    high.write_text(high.read_text(encoding="utf-8") + "  - {from: 市, to: 委託先A, medium: usb}\n",
                    encoding="utf-8")
    run = invoke("props", "--baseline", "lint-baseline.json", "--fail-on", "medium")
    assert run.exit_code == 1 and " 中 TRN-001 " in run.stdout


def test_baseline_names_items_by_content_so_other_items_may_move(folder):
    (folder / "broken.yaml").unlink()
    assert invoke("props", "--write-baseline", "lint-baseline.json").exit_code == 0
    high = folder / "sub" / "high.yaml"
    # data items inserted before the recorded one, the transfers reordered
    edited = (high.read_text(encoding="utf-8")
              .replace("  - 氏名\n  - 既往歴\n", "  - 電話番号\n  - 生年月日\n  - 氏名\n  - 既往歴\n")
              .replace("  - {from: 市, to: 委託先A, medium: lgwan}\n  - {from: 市, to: 委託先A, medium: usb}\n",
                       "  - {from: 市, to: 委託先A, medium: usb}\n  - {from: 市, to: 委託先A, medium: lgwan}\n"))
    assert "電話番号" in edited and edited.index("usb") < edited.index("lgwan")
    high.write_text(edited, encoding="utf-8")
    run = invoke("props", "--baseline", "lint-baseline.json", "--fail-on", "low")
    assert run.exit_code == 0 and "props/sub/high.yaml" not in run.stdout, run.stdout
    # the recorded item itself changed (another sender): its finding is new
    high.write_text(edited.replace("{from: 市, to: 委託先A, medium: usb}", "{from: 健康課, to: 委託先A, medium: usb}"), encoding="utf-8")
    run = invoke("props", "--baseline", "lint-baseline.json", "--fail-on", "medium")
    assert run.exit_code == 1 and " 中 TRN-001 " in run.stdout


def test_content_paths_name_items_by_their_identifying_value():
    from checker.commands.lint.baseline import content_path
    data = {"data_items": ["氏名", {"name": "病歴"}, "氏名"], "vendors": [{"role": "印刷"}],
            "transfers": [{"from": "市", "to": "A", "medium": "usb"}]}
    assert content_path(data, "data_items[1]") == "data_items[病歴]"
    assert content_path(data, "data_items[2]") == "data_items[氏名#2]"   # the same name twice
    assert content_path(data, "transfers[0].medium") == "transfers[from=市,to=A,medium=usb].medium"
    assert content_path(data, "vendors[0]").startswith("vendors[#")     # no name: a digest of the item
    assert content_path(data, "vendors[5]") == "vendors[5]"             # not in the data: as it is


def test_a_version_1_baseline_still_works_with_a_notice(folder):
    (folder / "broken.yaml").unlink()
    # what version 1 wrote: list items by position
    results = lint.run(["props"])
    old = [{"file": Path(r.path).as_posix(), "rule": f.rule_id, "path": loc.path}
           for r in results.files for f in r.findings if f.status == "open" for loc in f.locations]
    assert {"file": "props/sub/high.yaml", "rule": "TRN-001", "path": "transfers[1]"} in old
    Path("old.json").write_text(json.dumps({"version": 1, "tool": "shingikai", "findings": old}, ensure_ascii=False),
                                encoding="utf-8")
    run = invoke("props", "--baseline", "old.json", "--fail-on", "low")
    assert run.exit_code == 0 and "props/sub/high.yaml" not in run.stdout
    assert "古い形式（version 1）のベースライン" in run.stderr and "--write-baseline" in run.stderr


def test_baseline_paths_are_relative_to_the_baseline_file(folder, tmp_path, monkeypatch):
    (folder / "broken.yaml").unlink()
    assert invoke("props", "--write-baseline", "lint-baseline.json").exit_code == 0
    monkeypatch.chdir(folder / "sub")  # same files, named differently on the command line
    run = invoke(".", "--baseline", str(tmp_path / "lint-baseline.json"))
    assert run.exit_code == 0 and "SEN-005" not in run.stdout


@pytest.mark.parametrize("content", [None, "{not json", '{"version": 99, "findings": []}'])
def test_a_missing_or_malformed_baseline_is_an_input_error(folder, content):
    if content is not None:
        Path("b.json").write_text(content, encoding="utf-8")
    run = invoke("props", "--baseline", "b.json")
    assert run.exit_code == 2 and "ベースライン" in run.stderr


def test_pre_commit_hook_runs_shingikai_lint_on_yaml_files():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "shingikai-lint"]
    assert hook["entry"] == "shingikai lint" and hook["language"] == "python"
    import re
    assert re.search(hook["files"], "proposals/a.yaml") and re.search(hook["files"], "b.yml")
    assert re.search(hook["exclude"], ".pre-commit-config.yaml") and re.search(hook["exclude"], ".github/x.yml")


def test_the_engine_starts_no_background_dispatcher_threads(catalogue):
    # durable's Host dispatches actions from timer threads; they raced evaluate() and lost
    # findings in parallel lint runs. An Engine must leave the thread count unchanged.
    import threading
    import time

    from checker.core.engine import Engine
    before = {t.ident for t in threading.enumerate()}
    Engine(catalogue)
    time.sleep(0.3)  # the dispatcher's first timer fires after 0.1 s
    # durable's dispatchers are threading.Timer chains; other libraries' threads are not counted.
    assert [t for t in threading.enumerate() if t.ident not in before and isinstance(t, threading.Timer)] == []


def test_an_accepted_risk_that_suppresses_nothing_is_noted_but_does_not_fail(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = dump(base()) + "accepted_risks:\n  - {rule: TRN-001, reason: 以前は USB で渡していた}\n"
    Path("clean.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index("  - {rule: TRN-001, reason: 以前は USB で渡していた}") + 1
    run = invoke("clean.yaml")
    assert run.exit_code == 0
    assert f"clean.yaml:{line}:6: note UNUSED accepted_risks の TRN-001" in run.stdout
    assert f"::notice file=clean.yaml,line={line},col=6," in invoke("clean.yaml", "-f", "github").stdout
    data = json.loads(invoke("clean.yaml", "-f", "json").stdout)
    assert data["files"][0]["unused_accepted_risks"] == [{"rule": "TRN-001", "line": line, "column": 6}]


def test_junit_reads_as_junit_in_a_standard_parser(folder):
    # junitparser reads JUnit the way CI dashboards do: counters must agree with the testcases.
    from junitparser import Error, Failure, JUnitXml, Skipped
    Path("out").mkdir()
    invoke("props", "-f", "junit", "-o", "out/lint.xml")
    suites = {s.name: s for s in JUnitXml.fromfile("out/lint.xml")}
    assert sorted(suites) == ["props/accepted.yaml", "props/broken.yaml", "props/clean.yaml", "props/sub/high.yaml"]
    for suite in suites.values():
        results = [type(r) for case in suite for r in case.result]
        assert (suite.failures, suite.errors, suite.skipped) == (
            results.count(Failure), results.count(Error), results.count(Skipped)), suite.name
    assert all(case.is_passed for case in suites["props/clean.yaml"])
    sen = {case.name.split()[0]: case for case in suites["props/accepted.yaml"]}["SEN-005"]
    assert sen.is_skipped
    high = {case.name.split()[0]: case for case in suites["props/sub/high.yaml"]}
    assert isinstance(high["SEN-005"].result[0], Failure) and high["SEN-005"].result[0].type == "high"


def test_packed_results_read_back_equal_to_live_ones(tmp_path):
    """Above PACK_THRESHOLD results are stored packed; what reporters read must not change."""
    from checker import load_engine
    from checker.commands.lint import discover, lint_one
    from checker.commands.lint.results import ResultStore
    engine = load_engine()
    files = discover([ROOT / "proposals"])
    live = [lint_one(f, engine) for f in files]
    packed = ResultStore(live, packed=True)
    assert len(packed) == len(live)
    assert list(packed) == live and packed[3] == live[3] and packed[1:4] == live[1:4]


def test_results_packed_by_workers_render_and_exit_like_live_ones(tmp_path, engine, monkeypatch):
    # Above PACK_THRESHOLD workers send each result tallied and packed; the main process never
    # unpacks it for the summary or the exit code, only to render it.
    folder = _corpus(tmp_path, engine, count=60)
    live = lint.run([folder], jobs=2)
    monkeypatch.setattr(lint, "PACK_THRESHOLD", 10)
    packed = lint.run([folder], jobs=2)
    assert packed.files.packed and not live.files.packed
    assert packed.files.tallies == live.files.tallies
    assert packed.counts() == live.counts() and packed.exit_code() == live.exit_code() == 2
    for name in names("lint"):
        assert render_lint(name, packed) == render_lint(name, live), name


def test_lint_never_overwrites_a_proposal_it_lints(tmp_path):
    folder = tmp_path / "proposals"
    folder.mkdir()
    target = folder / "a.yaml"
    original = "id: a\ntitle: 案件\nprocedure: consultation\nkinds: [outsourcing]\n"
    target.write_text(original, encoding="utf-8")
    result = CliRunner().invoke(app, ["lint", str(folder), "--format", "json", "--output", str(target)])
    assert result.exit_code == 2 and "上書きしません" in result.output
    assert target.read_text(encoding="utf-8") == original


def test_one_line_per_finding_with_its_other_places_and_counts_that_agree(tmp_path, monkeypatch):
    """A finding found at two data items is one line at the first, naming the second; the number of
    finding lines equals the open and accepted counts of the summary line, in every line format."""
    from .lint_samples import HIGH
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.yaml").write_text(HIGH.replace("  - 既往歴\n", "  - 既往歴\n  - 病歴\n"), encoding="utf-8")
    run = CliRunner().invoke(app, ["lint", "p.yaml", "--fail-on", "none"])
    *lines, summary = run.stdout.splitlines()
    sen = [line for line in lines if " SEN-005 " in line]
    assert sen == [line for line in lines if line.startswith("p.yaml:16:5: 高 SEN-005 ")], run.stdout
    assert "（ほかに 17行5列）" in sen[0]
    counts = re.search(r"未対応 高 (\d+)・中 (\d+)・低 (\d+) 件、受容 (\d+) 件", summary)
    assert counts and len(lines) == sum(int(n) for n in counts.groups()), run.stdout
    github = CliRunner().invoke(app, ["lint", "p.yaml", "--fail-on", "none", "-f", "github"]).stdout.splitlines()
    assert len([a for a in github if a.startswith("::") and "title=shingikai lint の結果" not in a]) == len(lines)


def test_the_readme_lists_the_csv_columns_the_action_plan_writes():
    from checker.reporters.report.csv import HEADER
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"未対応の指摘の「未」の措置ごとに 1 行（([^）]*)）", readme)
    assert listed, "README に CSV の列の一覧がありません"
    assert [c.strip() for c in re.sub(r"\s+", " ", listed.group(1)).split(",")] == HEADER
