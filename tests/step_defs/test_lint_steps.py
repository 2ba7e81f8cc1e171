"""Steps for the CI lint journey (tests/features/lint.feature): what a CI log and dashboards show."""
from __future__ import annotations

import json
import re
import shlex
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from pytest_bdd import given, parsers, scenarios, then, when
from typer.testing import CliRunner

from checker.cli import app

from ..conftest import ROOT
from ..lint_samples import ACCEPT_REASON, make_folder

scenarios("lint.feature")
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
DOCS_URL = "https://example.org/shingikai/docs/rules.md"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)  # paths in the outputs are relative, as in a CI checkout
    (tmp_path / "out").mkdir()  # where the CI job writes its reports (shingikai never makes folders)
    monkeypatch.setenv("SHINGIKAI_DOCS_URL", DOCS_URL)  # where the CI publishes docs/rules.md
    return tmp_path


@given("案件フォルダに、指摘のない案件・高リスクの指摘がある案件・誤記のある案件・リスクを受容した案件がある",
       target_fixture="folder")
def folder(workdir: Path, engine) -> Path:
    return make_folder(workdir, engine)


@given("誤記のある案件を削除する")
def remove_broken(folder: Path) -> None:
    (folder / "broken.yaml").unlink()


@given("高リスクの指摘がある案件を削除する")
def remove_high(folder: Path) -> None:
    (folder / "sub" / "high.yaml").unlink()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@given(parsers.parse("受容の期限を「{date}」に変える"))
def change_until(folder: Path, date: str) -> None:
    _edit(folder / "accepted.yaml", "2099-03-31", date)


@given(parsers.parse("受容するルール ID を「{rule_id}」に変える"))
def change_rule_id(folder: Path, rule_id: str) -> None:
    _edit(folder / "accepted.yaml", "rule: SEN-005", f"rule: {rule_id}")


@when("高リスクの指摘がある案件の先頭にコメント行を 3 行加える")
def add_comments(folder: Path) -> None:
    path = folder / "sub" / "high.yaml"
    path.write_text("# 1\n# 2\n# 3\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


@when(parsers.parse("高リスクの指摘がある案件のデータ項目に「{item}」を加える"))
def add_item(folder: Path, item: str) -> None:
    _edit(folder / "sub" / "high.yaml", "  - 既往歴\n", f"  - 既往歴\n  - {item}\n")


@when("CI が shingikai lint をフォルダに対して実行する", target_fixture="run")
def lint_plain(folder: Path):
    return CliRunner().invoke(app, ["lint", "props"])


@when(parsers.parse("CI が shingikai lint をフォルダに対して「{options}」を付けて実行する"), target_fixture="run")
def lint_with(folder: Path, options: str):
    return CliRunner().invoke(app, ["lint", "props", *shlex.split(options)])


def _lines(run) -> list[str]:
    return run.stdout.splitlines()


@then(parsers.parse("終了コードは {code:d} である"))
def exit_code(run, code: int):
    assert run.exit_code == code, run.output


@then(parsers.parse("テキスト出力の行「{start}」がある"))
def text_line(run, start: str):
    assert any(line.startswith(start) for line in _lines(run)), run.stdout


@then(parsers.parse("テキスト出力の行「{part}」に「{words}」が含まれる"))
def text_line_contains(run, part: str, words: str):
    assert any(part in line and words in line for line in _lines(run)), run.stdout


@then(parsers.parse("テキスト出力で「{file}」の入力エラーに誤った ID「{wrong}」と正しい ID「{right}」が示される"))
def input_error_with_hint(run, file: str, wrong: str, right: str):
    lines = [x for x in _lines(run) if x.startswith(file + ":") and " error INPUT " in x]
    assert any(f"「{wrong}」" in x and f"「{right}」" in x for x in lines), run.stdout


@then(parsers.parse("テキスト出力で「{file}」の SEN-005 は受容済みと理由付きで示される"))
def accepted_in_text(run, file: str):
    line = next((x for x in _lines(run) if x.startswith(file + ":") and " SEN-005 " in x), None)
    assert line is not None, run.stdout
    assert "受容済み" in line and ACCEPT_REASON in line


@then(parsers.parse("テキスト出力に「{file}」の行はない"))
def no_line_for(run, file: str):
    assert not any(line.startswith(file) for line in _lines(run)), run.stdout


@then(parsers.parse("テキスト出力に「{rule_id}」の未対応の行はない"))
def no_open_line(run, rule_id: str):
    assert not any(f" {rule_id} " in line and "受容済み" not in line for line in _lines(run)), run.stdout


# --- SARIF
def _sarif(folder: Path) -> dict:
    return json.loads((folder.parent / "out" / "lint.sarif").read_text(encoding="utf-8"))


def _results(folder: Path, rule_id: str, file: str) -> list[dict]:
    run = _sarif(folder)["runs"][0]
    return [r for r in run["results"] if r["ruleId"] == rule_id
            and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == file]


@then("SARIF は公式スキーマに適合する")
def sarif_valid(folder: Path):
    # With format checks (uri, uri-reference), as GitHub's upload-sarif validates.
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(
        _sarif(folder))


@then(parsers.parse("SARIF の {rule_id} の結果は level「{level}」で「{file}」の {line:d} 行 {col:d} 列を指す"))
def sarif_result(folder: Path, rule_id: str, level: str, file: str, line: int, col: int):
    (result,) = _results(folder, rule_id, file)
    assert result["level"] == level
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (line, col)
    assert "suppressions" not in result


@then(parsers.parse("SARIF の「{file}」の SEN-005 は理由付きの suppression を持つ"))
def sarif_suppressed(folder: Path, file: str):
    (result,) = _results(folder, "SEN-005", file)
    assert result["suppressions"] == [{"kind": "inSource", "status": "accepted", "justification": ACCEPT_REASON,
                                       "properties": {"approvedBy": "健康課長", "until": "2099-03-31"}}]


@then(parsers.parse("SARIF の INPUT の結果が「{file}」の {line:d} 行 {col:d} 列を指す"))
def sarif_input(folder: Path, file: str, line: int, col: int):
    results = _results(folder, "INPUT", file)
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in results]
    assert {"startLine": line, "startColumn": col} in regions
    assert all(r["level"] == "error" for r in results)


@then("SARIF のルール SEN-005 には説明・安全管理措置・docs/rules.md#SEN-005 へのリンクがある")
def sarif_rule(folder: Path, catalogue):
    rules = {r["id"]: r for r in _sarif(folder)["runs"][0]["tool"]["driver"]["rules"]}
    rule, source = rules["SEN-005"], catalogue.by_id["SEN-005"]
    assert rule["shortDescription"]["text"] == source.title
    assert rule["fullDescription"]["text"] == source.why.strip()
    for sid in source.safeguards:
        assert catalogue.safeguards[sid].text in rule["help"]["text"]
    assert rule["helpUri"] == f"{DOCS_URL}#SEN-005"


# --- JUnit
def _junit(folder: Path) -> ET.Element:
    return ET.parse(folder.parent / "out" / "lint.xml").getroot()


def _suite(folder: Path, file: str) -> ET.Element:
    (suite,) = [s for s in _junit(folder) if s.get("name") == file]
    return suite


@then(parsers.parse("JUnit には {count:d} つの testsuite がある"))
def junit_suites(folder: Path, count: int):
    root = _junit(folder)
    assert root.tag == "testsuites" and len(root.findall("testsuite")) == count


@then(parsers.parse("JUnit の「{file}」の SEN-005 は失敗で、質問と安全管理措置を含む"))
def junit_failure(folder: Path, file: str, catalogue):
    case = next(c for c in _suite(folder, file) if c.get("name", "").startswith("SEN-005 "))
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "high"
    assert catalogue.by_id["SEN-005"].questions[0] in failure.text
    assert "sensitive-declaration" in failure.text


@then(parsers.parse("JUnit の「{file}」の SEN-005 はスキップで、受容の理由を含む"))
def junit_skipped(folder: Path, file: str):
    case = next(c for c in _suite(folder, file) if c.get("name", "").startswith("SEN-005 "))
    assert case.find("failure") is None and ACCEPT_REASON in case.find("skipped").get("message")


@then(parsers.parse("JUnit の「{file}」はエラーである"))
def junit_error(folder: Path, file: str):
    suite = _suite(folder, file)
    assert int(suite.get("errors")) >= 1 and suite.find("testcase/error") is not None


# --- JSON
@then(parsers.parse("JSON では「{broken}」が無効で {line:d} 行目の誤りを示し、「{accepted}」の SEN-005 は受容済みである"))
def json_shows(folder: Path, broken: str, line: int, accepted: str):
    data = json.loads((folder.parent / "out" / "lint.json").read_text(encoding="utf-8"))
    files = {f["file"]: f for f in data["files"]}
    assert files[broken]["valid"] is False and line in [e["line"] for e in files[broken]["errors"]]
    (sen,) = [f for f in files[accepted]["report"]["findings"] if f["rule_id"] == "SEN-005"]
    assert sen["status"] == "accepted" and sen["acceptance"]["reason"] == ACCEPT_REASON
    assert data["exit_code"] == 2


# --- GitHub annotations (stdout)
@then(parsers.parse("GitHub 注釈に「{start}」で始まる行がある"))
def github_line(run, start: str):
    assert any(line.startswith(start) for line in _lines(run)), run.stdout


@then(parsers.parse("GitHub 注釈に「{start}」で始まり「{words}」を含む行がある"))
def github_line_with(run, start: str, words: str):
    assert any(line.startswith(start) and words in line for line in _lines(run)), run.stdout


def test_annotation_lines_are_workflow_commands(tmp_path, monkeypatch, engine):
    """Every line but the closing two is a well-formed ::level ...:: command on one line, the most
    severe first; then one summary annotation with the counts, then the summary line."""
    monkeypatch.chdir(tmp_path)
    make_folder(tmp_path, engine)
    run = CliRunner().invoke(app, ["lint", "props", "-f", "github"])
    *lines, closing, summary = _lines(run)
    commands = [line for line in lines if line.startswith("::")]
    pattern = re.compile(r"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,title=[^:]+::\S")
    assert commands and all(pattern.match(c) for c in commands), run.stdout
    levels = [c.split(" ", 1)[0] for c in commands]
    assert levels == sorted(levels, key=["::error", "::warning", "::notice"].index), levels
    assert all(levels.count(level) <= 10 for level in set(levels)) and levels.count("::notice") <= 9
    # what GitHub would not show is still in the log, one plain line each, after the annotations
    overflow = lines[len(commands):]
    assert all(re.match(r"^props/\S+:\d+:\d+: notice ", line) for line in overflow), overflow
    text_lines = _lines(CliRunner().invoke(app, ["lint", "props"]))[:-1]
    assert lines[:len(commands)] == commands and len(lines) == len(text_lines)  # one line per finding
    assert closing.startswith("::notice title=shingikai lint の結果::") and "ファイルを点検" in closing
    if overflow:
        assert f"notice {len(overflow)} 件は注釈にしていません" in closing
    else:
        assert "注釈にしていません" not in closing
    assert "ファイルを点検" in summary
