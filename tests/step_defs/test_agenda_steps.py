"""Steps for the secretariat's journey (tests/features/agenda.feature), on the seed proposals."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from pytest_bdd import given, parsers, scenarios, then, when
from typer.testing import CliRunner

from checker.cli import app

from ..conftest import ROOT

scenarios("agenda.feature")
SEEDS = ROOT / "proposals" / "seeds"
RESUBMITTED = ROOT / "tests" / "data" / "resubmission" / "004-2-pittari-resubmitted.yaml"
SUITA = "004_c339a8eb093e21c8.txt"
MINUTES = {"志木市 平成29年度第3回と令和2年度第3回": ["001_dd092029e2b65e8c.txt", "002_b0e95e3b61938bf8.txt"],
           "吹田市 第74回": [SUITA]}


def origin(path: Path) -> dict:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("origin") or {}


def seeds_of(*minutes: str) -> list[Path]:
    return sorted(p for p in SEEDS.glob("*.yaml") if origin(p).get("minutes") in minutes)


def seed_item(minutes: str, item: str) -> Path:
    return next(p for p in seeds_of(minutes) if origin(p).get("item") == item)


@given(parsers.parse("{meeting}の {count:d} 件の案件ファイルがある"), target_fixture="folder")
def meeting_folder(meeting: str, count: int, tmp_path: Path) -> Path:
    files = seeds_of(*MINUTES[meeting])
    assert len(files) == count, [f.name for f in files]
    folder = tmp_path / "meeting"
    folder.mkdir()
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


@given("議題フォルダに 3 行目を誤記した案件ファイルがある")
def broken_file(folder: Path) -> None:
    (folder / "zz-broken.yaml").write_text("id: broken\ntitle: 誤記のある案件\nprocedure: consultaton\n"
                                           "kinds: [new_processing]\n", encoding="utf-8")


@given("吹田市 第74回 (2) の前回の版と、要配慮個人情報の申告と連携経路の措置を書き加えた再提出版がある",
       target_fixture="versions")
def versions() -> dict[str, Path]:
    old = seed_item(SUITA, "(2)")
    assert origin(RESUBMITTED) == origin(old)
    return {"old": old, "new": RESUBMITTED}


def invoke(*args: str):
    return CliRunner().invoke(app, list(map(str, args)))


def agenda_of(paths: list[Path], minutes: int, tmp_path: Path) -> dict:
    out = tmp_path / "agenda.json"
    result = invoke("agenda", *paths, "--minutes", minutes, "-f", "json", "-o", out)
    return {"result": result, "data": json.loads(out.read_text(encoding="utf-8")),
            "text": invoke("agenda", *paths, "--minutes", minutes).output,
            "html": invoke("agenda", *paths, "--minutes", minutes, "-f", "html").output}


@when(parsers.parse("事務局が会議時間 {minutes:d} 分で議題整理表を作る"), target_fixture="run")
def make_agenda(folder: Path, minutes: int, tmp_path: Path) -> dict:
    return agenda_of([folder], minutes, tmp_path)


@when("事務局が前回の版と再提出版の差分を取る", target_fixture="run")
def make_diff(versions: dict[str, Path]) -> dict:
    result = invoke("diff", versions["old"], versions["new"], "-f", "json")
    return {"result": result, "data": json.loads(result.output), "text": invoke("diff", versions["old"], versions["new"]).output}


@when("事務局が前回の版どうしの差分を取る", target_fixture="run")
def same_diff(versions: dict[str, Path]) -> dict:
    result = invoke("diff", versions["old"], versions["old"])
    return {"result": result, "text": result.output}


@then(parsers.parse("終了コードは {code:d} である"))
def exit_code(run: dict, code: int) -> None:
    assert run["result"].exit_code == code, run["result"].output


@then(parsers.parse("見込みの合計が {minutes:d} 分を超えている"))
def over_budget(run: dict, minutes: int) -> None:
    data = run["data"]
    assert data["minutes"] == minutes
    assert data["planned_minutes"] > minutes
    assert data["total_minutes"] == sum(i["estimated_minutes"] for i in data["items"])


@then("収まらない案件が overflow に挙がり、警告がその件名をすべて名指しする")
def overflow_named(run: dict) -> None:
    data = run["data"]
    late = [i for i in data["items"] if i["end_minute"] > data["minutes"]]
    assert late and [o["id"] for o in data["overflow"]] == [i["id"] for i in late]
    assert data["items"][0]["fits"] is True
    warning = next(line for line in run["text"].splitlines() if "警告" in line)
    for item in late:
        assert item["title"] in warning and item["id"] in warning
    assert "時間超過" in run["html"]


@then("報告の案件は諮問の案件より後に並ぶ")
def reports_last(run: dict) -> None:
    procedures = [i["procedure"] for i in run["data"]["items"]]
    assert "report" in procedures and "consultation" in procedures
    assert procedures == sorted(procedures, key=lambda p: p == "report")


def _item(run: dict, label: str) -> dict:
    return next(i for i in run["data"]["items"] if origin(Path(i["file"])).get("item") == label)


@then(parsers.parse("案件「{label}」の見込みは「{outcome}」で、議題の先頭に置かれる"))
def outcome_first(run: dict, label: str, outcome: str) -> None:
    item = _item(run, label)
    assert item["outcome_label"] == outcome and item["position"] == 1


@then(parsers.parse("案件「{label}」の事前に求める資料に「{words}」を含む依頼がある"))
def request_with(run: dict, label: str, words: str) -> None:
    texts = [r["text"] for r in _item(run, label)["requests"]]
    assert any(words in t and t.endswith("ください。") for t in texts), texts


@then("印刷用の HTML は 1 つの表で、各案件の論点ごとの依頼と、全件の付録を載せている")
def html_table(run: dict) -> None:
    html = run["html"]
    assert html.count("<table") == 1 and "size: A4 landscape" in html
    escape = lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # noqa: E731
    table, appendix = html.split("<h2 class=\"appendix-head\">", 1)
    for item in run["data"]["items"]:
        assert item["title"] in html
        for g in item["request_groups"]:
            assert escape(g["text"]) in table
        for r in item["requests"]:
            assert escape(r["what"]) in appendix


@then(parsers.parse("前回の重要度「{sev}」の未対応の指摘はすべて「解消した指摘」に挙がる"))
def high_resolved(run: dict, versions: dict[str, Path], sev: str) -> None:
    assert sev == "高"
    before = json.loads(invoke("check", versions["old"], "-f", "json").output)
    high_open = {f["rule_id"] for f in before["findings"] if f["status"] == "open" and f["residual_severity"] == "high"}
    assert high_open, "the deferred seed item must have open high findings"
    assert high_open <= {c["rule_id"] for c in run["data"]["resolved"]}


@then(parsers.parse("解消した指摘に「{a}」と「{b}」がある"))
def resolved_ids(run: dict, a: str, b: str) -> None:
    resolved = {c["rule_id"] for c in run["data"]["resolved"]}
    assert {a, b} <= resolved
    section = run["text"].split("解消した指摘", 1)[1].split("\n\n", 1)[0]
    assert a in section and b in section


@then("再提出版には重要度「高」の未対応の指摘がない")
def no_high_left(run: dict) -> None:
    assert run["data"]["open_after"]["high"] == 0
    assert all(c["residual_after"] != "high" for c in run["data"]["added"] + run["data"]["unchanged"]
               if c["status_after"] == "open")


@then(parsers.parse("新たに申告された安全管理措置に「{sid}」がある"))
def declared(run: dict, sid: str) -> None:
    assert sid in [s["id"] for s in run["data"]["safeguards_declared"]]
    assert f"+ {sid}" in run["text"]


@then(parsers.parse("変更された記載に「{path}」がある"))
def field_changed(run: dict, path: str) -> None:
    assert path in [f["path"] for f in run["data"]["fields"]]


@then(parsers.parse("再提出版を議題整理表にかけると、案件「{label}」の見込みは「{outcome}」ではない"))
def resubmission_outcome(versions: dict[str, Path], tmp_path: Path, label: str, outcome: str) -> None:
    run = agenda_of([versions["new"]], 120, tmp_path)
    item = _item(run, label)
    assert item["outcome_label"] != outcome
    assert not any(r["safeguard"] == "sensitive-declaration" for r in item["requests"])


@then(parsers.parse("差分には「{words}」と表示される"))
def diff_says(run: dict, words: str) -> None:
    assert words in run["text"]


@then(parsers.parse("エラーに誤記したファイルの名前と行番号「{line}」が示される"))
def error_named(run: dict, line: str) -> None:
    assert f"zz-broken.yaml:{line}" in run["result"].output
    assert any(e["file"].endswith("zz-broken.yaml") for e in run["data"]["errors"])


@then(parsers.parse("議題整理表には {count:d} 件が載っている"))
def item_count(run: dict, count: int) -> None:
    assert len(run["data"]["items"]) == count
