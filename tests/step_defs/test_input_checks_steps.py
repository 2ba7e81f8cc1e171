"""Steps for tests/features/input_checks.feature: placeholders, implausible values and content-keyed
baselines, each run as the `shingikai` process a department or CI runs, in a folder of its own."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_bdd import given, parsers, scenarios, then, when

from checker.core.loading import load_yaml

from ..conftest import ROOT
from ..lint_samples import HIGH
from ..placeholder_samples import placeholder_text

scenarios("input_checks.feature")
COMPLETE = ROOT / "proposals" / "examples" / "complete-cloud.yaml"
PIA = ROOT / "proposals" / "examples" / "complete-pia_review.yaml"
LGWAN = ROOT / "proposals" / "examples" / "health-check-reminder-lgwan-asp.yaml"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def shingikai(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd.parent / "cache"), "PYTHONUNBUFFERED": "1"}
    return subprocess.run([sys.executable, "-m", "checker", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def _strings(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], str]]:
    if isinstance(data, str):
        return [(path, data)]
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    return [found for key, value in items for found in _strings(value, (*path, key))]


def _dotted(path: str) -> tuple[Any, ...]:
    return tuple(int(part) if part.isdigit() else part for part in path.split("."))


# --- given
@given(parsers.parse("完全な例の文の値をすべて「{form}」に置き換えた案件ファイルがある"), target_fixture="case")
def placeholder_case(work: Path, form: str) -> dict[str, Any]:
    file = work / "proposal.yaml"
    file.write_text(placeholder_text(COMPLETE, form), encoding="utf-8")
    loaded = load_yaml(file)
    replaced = [(path, loaded.values[path]) for path, value in _strings(loaded.data) if value == form]
    assert len(replaced) > 30, "the example has many text values"
    return {"file": file, "form": form, "replaced": replaced}


@given(parsers.parse("記録の事項を{reason}理由で not_applicable にした案件ファイルがある"), target_fixture="case")
def not_applicable_case(work: Path, reason: str) -> dict[str, Any]:
    data = yaml.safe_load(LGWAN.read_text(encoding="utf-8"))   # a proposal whose logging the rules ask about
    data.pop("logging", None)
    # 受診歴 alone may not be 要配慮 (施行令第2条): the results the reminder is based on are, and make the
    # rules ask about the records of access
    data["data_items"] = [*data["data_items"], "特定健診の結果"]
    value = {"「未定」という": "未定", "空の": ""}[reason]
    data["not_applicable"] = {"logging": value}
    file = work / "proposal.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {"file": file, "form": value, "position": load_yaml(file).values[("not_applicable", "logging")]}


@given(parsers.parse("第三者点検の完全な例の「{field}」を「{value}」にした案件ファイルがある"), target_fixture="case")
def changed_case(work: Path, field: str, value: str) -> dict[str, Any]:
    data = yaml.safe_load(PIA.read_text(encoding="utf-8"))
    path = _dotted(field)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = yaml.safe_load(value)   # a date or a number, as YAML reads it
    file = work / "proposal.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {"file": file, "loaded": load_yaml(file)}


@given("高リスクの指摘がある案件だけのフォルダがある", target_fixture="case")
def high_folder(work: Path) -> dict[str, Any]:
    (work / "props").mkdir()
    file = work / "props" / "high.yaml"
    file.write_text(HIGH, encoding="utf-8")
    return {"file": file}


# --- when
@when("CI がその案件を shingikai lint で JSON とテキストに出力する", target_fixture="run")
def lint_json_and_text(work: Path, case):
    return shingikai(["lint", case["file"].name, "-f", "json", "-o", "lint.json", "-f", "text"], work)


@when("職員がその案件を text・md・html・csv の各形式で shingikai check する", target_fixture="outputs")
def check_every_format(work: Path, case) -> dict[str, str]:
    outputs = {}
    for name in ("text", "md", "html", "csv"):
        run = shingikai(["check", case["file"].name, "-f", name, "-o", f"report.{name}"], work)
        assert run.returncode == 0, run.stderr
        outputs[name] = (work / f"report.{name}").read_text(encoding="utf-8-sig")
    return outputs


@when("職員がその案件を shingikai check で JSON に出力する", target_fixture="run")
def check_json(work: Path, case):
    return shingikai(["check", case["file"].name, "-f", "json"], work)


@when(parsers.parse("CI が「{options}」を付けて shingikai lint を実行する"), target_fixture="run")
def lint_with(work: Path, options: str):
    return shingikai(["lint", "props", *options.split()], work)


@when("案件のデータ項目の先頭に 2 項目を挿入し、受け渡しの順を入れ替える")
def insert_and_reorder(case):
    text = case["file"].read_text(encoding="utf-8")
    edited = (text.replace("data_items:\n", "data_items:\n  - 電話番号\n  - 生年月日\n")
              .replace("  - {from: 市, to: 委託先A, medium: lgwan}\n  - {from: 市, to: 委託先A, medium: usb}\n",
                       "  - {from: 市, to: 委託先A, medium: usb}\n  - {from: 市, to: 委託先A, medium: lgwan}\n"))
    assert edited.index("電話番号") < edited.index("既往歴") and edited.index("usb") < edited.index("lgwan")
    case["file"].write_text(edited, encoding="utf-8")


@when("記録した受け渡しの渡す側を変える")
def change_recorded_item(case):
    text = case["file"].read_text(encoding="utf-8")
    case["file"].write_text(text.replace("{from: 市, to: 委託先A, medium: usb}", "{from: 健康課, to: 委託先A, medium: usb}"),
                            encoding="utf-8")


# --- then
@then(parsers.parse("終了コードは {code:d} である"))
def exit_code(run, code: int):
    assert run.returncode == code, run.stdout + run.stderr


@then("予想される結果は「承認」ではなく、総合リスクは「なし」ではない")
def not_approved(work: Path, run):
    assert run.returncode in (0, 1), run.stderr
    (entry,) = json.loads((work / "lint.json").read_text(encoding="utf-8"))["files"]
    report = entry["report"]
    assert report["assessment"]["label"] != "承認" and report["summary"]["risk_label"] != "なし"


@then("JSON の placeholders に置き換えたすべての値が行・列付きで挙がる")
def json_lists_all(work: Path, case):
    (entry,) = json.loads((work / "lint.json").read_text(encoding="utf-8"))["files"]
    listed = [(x["line"], x["column"], x["value"]) for x in entry["report"]["placeholders"]]
    expected = [(pos.line, pos.column, case["form"]) for _, pos in case["replaced"]]
    assert sorted(listed) == sorted(expected)


@then("テキスト出力に置き換えたすべての値が「note PLACEHOLDER」の行として挙がる")
def text_lists_all(run, case):
    lines = [line for line in run.stdout.splitlines() if " note PLACEHOLDER " in line]
    for _, pos in case["replaced"]:
        assert any(line.startswith(f"proposal.yaml:{pos.line}:{pos.column}: note PLACEHOLDER ") for line in lines)
    assert len(lines) == len(case["replaced"])


@then("どの形式の報告にも最初の仮の記載が「ファイル名:行:列」とともに出る")
def every_format_lists(outputs: dict[str, str], case):
    _, first = case["replaced"][0]
    for name, text in outputs.items():
        if name == "csv":
            rows = [r for r in csv.reader(io.StringIO(text)) if r[2] == "PLACEHOLDER"]
            assert len(rows) == len(case["replaced"]) and f"{first.line}行目" in rows[0][3]
        else:
            assert f"proposal.yaml:{first.line}:{first.column}" in text, name
            assert "仮の記載" in text and "未定" in text


@then("JSON の placeholders に not_applicable の理由が「理由として受け付けません」と挙がる")
def reason_listed(run, case):
    listed = json.loads(run.stdout)["placeholders"]
    (entry,) = [x for x in listed if x["path"] == "not_applicable.logging"]
    assert (entry["line"], entry["column"]) == (case["position"].line, case["position"].column)
    assert "理由として受け付けません" in entry["message"]


@then("ログの記載事項は「当てはまらない」ではなく記載なしとして点検される")
def logging_unstated(run):
    report = json.loads(run.stdout)
    # LOG-005 asks for the logging a proposal leaves unstated; a reason that says something silences it
    assert any(f["rule_id"] == "LOG-005" and f["status"] == "open" for f in report["findings"])


@then("エラーは行・列と「理由が空です」を示し、英語のメッセージは出ない")
def empty_reason(run, case):
    pos = case["position"]
    assert f"proposal.yaml:{pos.line}:{pos.column}: エラー: not_applicable.logging の理由が空です。" in run.stderr
    assert "String should" not in run.stderr and "当てはまらない理由を書いて" in run.stderr


@then(parsers.parse("エラーは「{at}」の行と列を指し、「{words}」と示す"))
def error_at(run, case, at: str, words: str):
    pos = case["loaded"].values[_dotted(at)]
    lines = [line for line in run.stderr.splitlines() if line.startswith(f"proposal.yaml:{pos.line}:{pos.column}: エラー:")]
    assert any(words in line for line in lines), run.stderr
    assert "→" in run.stderr   # what to do


@then(parsers.parse("指摘「{rule}」が未対応として挙がる"))
def finding_open(run, rule: str):
    report = json.loads(run.stdout)
    assert any(rule in [t["rule_id"] for t in f["triggers"]] and f["status"] == "open" for f in report["findings"]), run.stdout


@then("内部エラーやトレースバックは出ない")
def no_internal_error(run):
    assert "Traceback" not in run.stderr and "内部エラー" not in run.stderr


@then("報告は出ず、「期間-30日」の意見募集が対応済みとして示されることはない")
def no_report(run):
    assert run.stdout == "" and "期間-30日" in run.stderr


@then(parsers.parse("「{field}」の行と列を指すお知らせが「{words}」と示す"))
def notice_at(run, case, field: str, words: str):
    pos = case["loaded"].values[_dotted(field)]
    notices = json.loads(run.stdout)["notices"]
    assert any(n.startswith(f"proposal.yaml:{pos.line}:{pos.column}: お知らせ:") and words in n for n in notices), notices


@then("テキスト出力にその案件の指摘の行はない")
def nothing_new(run):
    assert "props/high.yaml" not in run.stdout and "ベースライン記録済み" in run.stdout


@then(parsers.parse("テキスト出力に「{words}」の行がある"))
def line_with(run, words: str):
    assert any(words in line for line in run.stdout.splitlines()), run.stdout


# --- a municipality's own rules (docs/examples/my-rules, copied)
MY_RULES = ROOT / "docs" / "examples" / "my-rules"


def _my_rules(work: Path) -> Path:
    import shutil
    folder = work / "市のルール"
    shutil.copytree(MY_RULES, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@given("例示市のルールのフォルダで、安全管理措置の satisfied_by を example と合わない値にしてある", target_fixture="case")
def unmatched_safeguard(work: Path) -> dict[str, Any]:
    folder = _my_rules(work)
    # the example says person_confirmed; the condition only accepts two_persons
    _edit(folder / "safeguards.yaml", "in: [two_persons, person_confirmed]", "in: [two_persons]")
    return {"folder": folder}


@given("例示市のルールのフォルダで、ルールの条件の項目名と出典のキーを書き誤ってある", target_fixture="case")
def misspelt_rule(work: Path) -> dict[str, Any]:
    folder = _my_rules(work)
    rule = folder / "misdelivery" / "REI-001.yaml"
    _edit(rule, "source: rei-outsourcing-standard", "source: rei-outsourcing-standrd")
    _edit(rule, "where: {channel: {in: [email, sms]}}", "where: {chanel: {in: [email, sms]}}")
    return {"folder": folder}


@given("例示市のルールのフォルダで、ルール ID を「rei-001」と小文字で書いてある", target_fixture="case")
def lower_case_id(work: Path) -> dict[str, Any]:
    folder = _my_rules(work)
    _edit(folder / "misdelivery" / "REI-001.yaml", "id: REI-001", "id: rei-001")
    return {"folder": folder}


@when("職員が shingikai rules lint でそのフォルダを検証する", target_fixture="run")
def rules_lint(work: Path, case):
    return shingikai(["rules", "lint", "--rules", case["folder"].name], work)


@when("ルール ID と安全管理措置の ID を全角で書き直す")
def full_width_ids(case):
    rule = case["folder"] / "misdelivery" / "REI-001.yaml"
    _edit(rule, "id: rei-001", "id: ＲＥＩ－００１")
    _edit(rule, "safeguards: [rei-guardian-contact-check]", "safeguards: [ｒｅｉ－ｇｕａｒｄｉａｎ－ｃｏｎｔａｃｔ－ｃｈｅｃｋ]")


@then("エラーはフォルダの「safeguards.yaml」と措置の ID を挙げ、「自分の example を満たしません」と示す")
def safeguard_named(run):
    assert any(line.startswith("市のルール/safeguards.yaml: 安全管理措置 rei-guardian-contact-check ")
               and "自分の example を満たしません" in line for line in run.stderr.splitlines()), run.stderr


@then("「すべての例が期待どおりです」とは出ない")
def not_all_fine(run):
    assert "すべての例が期待どおりです" not in run.stdout + run.stderr


@then("項目名の誤りが先に「channel」の誤りではないかと示され、次に未知の出典が示される")
def field_error_first(run):
    lines = [line for line in run.stderr.splitlines() if "ルールエラー:" in line]
    assert len(lines) == 2, run.stderr
    assert "項目 chanel はありません" in lines[0] and "「channel」の誤りではありませんか" in lines[0]
    assert "未知の出典 rei-outsourcing-standrd" in lines[1] and "「rei-outsourcing-standard」の誤りではありませんか" in lines[1]


@then("出典の追加先として、同梱の rules/sources.yaml ではなくフォルダの「sources.yaml」が示される")
def own_sources_file(run):
    assert "市のルール/sources.yaml" in run.stderr and "rules/sources.yaml" not in run.stderr


@then(parsers.parse("エラーに「{words}」とある"))
def error_says(run, words: str):
    assert words in run.stderr, run.stderr
