"""Steps for reading the report (tests/features/report.feature): what a department sees in the
HTML report's tables and in the CSV action plan, both written with --output as a user would."""
from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

from pytest_bdd import given, parsers, scenarios, then, when
from typer.testing import CliRunner

from checker.cli import app

from ..conftest import ROOT

scenarios("report.feature")
EXAMPLE = ROOT / "proposals" / "examples" / "child-consultation-migration.yaml"


class _Page(HTMLParser):
    """The page as a reader sees it: headings, box texts and table rows as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.text: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


@given("子ども相談システムの入替えの案件ファイルがある", target_fixture="proposal_text")
def child_consultation() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@given(parsers.parse("案件の safeguards に「{sid}」を書き加える"), target_fixture="proposal_text")
def declare(proposal_text: str, sid: str) -> str:
    return proposal_text + f"safeguards: [{sid}]\n"


@when("担当課が HTML の報告をファイルに書き出す", target_fixture="outputs")
def write_reports(proposal_text: str, tmp_path: Path):
    source = tmp_path / "proposal.yaml"
    source.write_text(proposal_text, encoding="utf-8")
    runner = CliRunner()
    for fmt in ("html", "csv"):
        result = runner.invoke(app, ["check", str(source), "-f", fmt, "-o", str(tmp_path / f"report.{fmt}")])
        assert result.exit_code == 0, result.output
    page = _Page()
    page.feed((tmp_path / "report.html").read_text(encoding="utf-8"))
    raw = (tmp_path / "report.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    plan = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert raw.count(b"\r\n") == len(plan) + 1, "one CRLF-terminated line per row, as Excel expects"
    return {"page": page, "plan": plan, "html": (tmp_path / "report.html").read_text(encoding="utf-8")}


def _checklist(outputs) -> dict[str, str]:
    """Safeguard id -> its state (未, 受容, 済) as section 4 of the printed report shows it: the table of
    missing safeguards of the findings in full, then the other missing ones and those in place, by id."""
    states = {}
    for r in outputs["page"].rows:
        if len(r) == 4 and r[0] in ("未", "受容"):
            states[re.search(r"[a-z0-9-]+$", r[2]).group(0)] = r[0]   # text followed by its id
    html = outputs["html"]
    for mark, state in (("mark-missing", "未"), ("mark-done", "済")):
        for para in re.findall(rf'<p class="small"><span class="mark {mark}">.*?</p>', html, re.S):
            for sid in re.findall(r"<code>([a-z0-9-]+)</code>", para):
                states.setdefault(sid, state)
    return states


@then(parsers.parse("報告の見出しに件名「{title}」と担当課「{department}」がある"))
def heading(outputs, title: str, department: str):
    text = "".join(outputs["page"].text)
    assert title in text and department in text


@then("概要に予想される結果と想定審議時間が理由付きで示される")
def outcome(outputs):
    text = "".join("".join(outputs["page"].text).split())
    label = re.search(r"予想される結果(承認|条件付き承認|継続審議の可能性)(.+?)想定審議時間約(\d+)分約\3分:(.+?)目安。", text)
    assert label, text[:500]
    assert "見込み" in label.group(2) or "おそれ" in label.group(2)   # the one-line reason
    assert int(label.group(3)) >= 5 and "担当課の説明" in label.group(4)   # and the minutes' breakdown


@then(parsers.parse("安全管理措置の表で「{sid}」は「{state}」で、諮問書に「{words}」を書くよう示される"))
def missing_with_advice(outputs, sid: str, state: str, words: str):
    assert _checklist(outputs)[sid] == state
    writes = [row["諮問書に記載する内容"] for row in outputs["plan"] if row["措置ID"] == sid]
    assert writes and words in writes[0]


@then(parsers.parse("安全管理措置の表で「{sid}」は「{state}」である"))
def safeguard_state(outputs, sid: str, state: str):
    assert _checklist(outputs)[sid] == state


@then("「未」の措置はすべて CSV の行動計画にも 1 行ずつあり、担当者と期限の欄は空である")
def action_plan(outputs):
    missing = {sid for sid, state in _checklist(outputs).items() if state == "未"}
    assert missing
    planned = {row["措置ID"] for row in outputs["plan"]}
    assert planned == missing
    assert all(row["担当者"] == "" and row["期限"] == "" for row in outputs["plan"])


@then(parsers.parse("CSV の行動計画に「{sid}」の行はない"))
def not_in_plan(outputs, sid: str):
    assert sid not in {row["措置ID"] for row in outputs["plan"]}
