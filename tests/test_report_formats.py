"""HTML, Markdown and CSV reports through the command line, as a department or the secretariat runs them."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from typer.testing import CliRunner

from checker.cli import app

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "proposals" / "examples").glob("*.yaml"))


def run(*args: str) -> str:
    result = CliRunner().invoke(app, ["check", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_html_report_is_one_self_contained_printable_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    run(str(EXAMPLES[0]), "--format", "html", "--output", str(out))
    html = out.read_text(encoding="utf-8")
    # Nothing fetched from elsewhere: no scripts, links, images, imported fonts or stylesheets.
    for needle in ("<script", "<link", "<img", "<a ", "src=", "href=", "url(", "@import", "http://"):
        assert needle not in html.lower(), needle
    # Addresses appear only as printed text a reader can look up (a source's URL), never in a tag
    # or the stylesheet.
    style = html[html.index("<style>"):html.index("</style>")]
    assert "https://" not in style
    assert not re.search(r"<[^>]*https://", html)
    assert re.search(r'<span class="url">https://[^<\s]+</span>', html)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="ja">' in html
    # A4 print layout with a Japanese font stack that falls back to the system's sans-serif.
    assert "size: A4" in html and "break-before: page" in html and "break-inside: avoid" in html
    assert re.search(r'font-family: "Noto Sans JP", "Noto Sans CJK JP", "Hiragino Kaku Gothic ProN".*"Meiryo", sans-serif',
                     html, re.S)


def test_several_proposals_make_one_html_document_with_a_page_each() -> None:
    html = run(*map(str, EXAMPLES), "--format", "html")
    assert html.count("<!DOCTYPE html>") == 1
    assert html.count('<article class="report"') == len(EXAMPLES)
    for i in range(1, len(EXAMPLES) + 1):
        assert f"#report-{i} {{ page: r{i}; }}" in html


def test_csv_action_plan_for_several_proposals_has_one_header() -> None:
    text = run(*map(str, EXAMPLES), "--format", "csv")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:5] == ["案件ID", "件名", "判断の基準", "審議会に諮る根拠", "ルールID"]
    assert rows[0][-3:] == ["担当者", "期限", "備考"]
    assert sum(r == rows[0] for r in rows) == 1
    import yaml
    ids = {yaml.safe_load(p.read_text(encoding="utf-8"))["id"] for p in EXAMPLES}
    assert {r[0] for r in rows[1:]} <= ids and len({r[0] for r in rows[1:]}) > 1


def test_markdown_report_carries_the_sections_of_the_html_report() -> None:
    md = run(str(EXAMPLES[0]), "--format", "md")
    html = run(str(EXAMPLES[0]), "--format", "html")
    for heading in ("1. 概要", "2. リスクマップ", "3. 想定質問", "4. 必要な安全管理措置", "5. 受容したリスク",
                    "予想される結果", "想定審議時間", "そのほかの指摘", "諮問書に書くこと", "対象業務"):
        assert heading in md and heading in html
    for rule_id in set(re.findall(r"<code>([A-Z]{3}-\d{3})</code>", html)):
        assert rule_id in md


def test_office_style_dates_in_the_era_and_origins_by_their_citation():
    """A seed item's report names its minutes as a reader looks them up and dates them in 和暦;
    the JSON keeps the ISO date and the file name for machines."""
    seed = str(ROOT / "proposals" / "seeds" / "002-2-child-consultation-system-migration.yaml")
    for fmt in ("md", "html"):
        out = run(seed, "--format", fmt)
        assert "令和3年2月17日" in out and "2021-02-17</td>" not in out and "| 2021-02-17 |" not in out
        assert "志木市情報公開・個人情報保護審議会 令和2年度第3回" in out
        assert "002_b0e95e3b61938bf8.txt" not in out
        assert not re.search(r"約 \d+ 分", out)
    data = run(seed, "--format", "json")
    assert '"meeting_date": "2021-02-17"' in data and "002_b0e95e3b61938bf8.txt" in data


def test_wareki_counts_the_first_year_of_an_era_as_gannen():
    import datetime as dt

    from checker.reporters.office import wareki
    assert wareki(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert wareki(dt.date(2019, 4, 30)) == "平成31年4月30日"
    assert wareki(dt.date(2026, 12, 7)) == "令和8年12月7日"
    assert wareki(None, "（未定）") == "（未定）"
