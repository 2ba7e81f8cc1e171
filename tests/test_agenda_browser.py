"""The agenda sheet printed by a real browser: landscape pages, one table, every item readable.

Uses the helpers of tests/browser.py (headless Chromium, poppler); under .ci/run a missing tool fails.
"""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from checker.cli import app

from .browser import need, pdf_pages, print_to_pdf
from .conftest import ROOT

SEEDS = ROOT / "proposals" / "seeds"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def raw_text(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run([need("pdftotext"), "-raw", "-enc", "UTF-8", *pages, str(pdf), "-"],
                          capture_output=True, check=True).stdout.decode("utf-8")


def test_agenda_prints_landscape_as_one_table(tmp_path: Path) -> None:
    html = tmp_path / "agenda.html"
    json_out = tmp_path / "agenda.json"
    files = sorted(SEEDS.glob("001-*.yaml"))
    assert files, "seed proposals of meeting 001 are needed"
    for fmt, out in (("html", html), ("json", json_out)):
        result = CliRunner().invoke(app, ["agenda", *map(str, files), "--minutes", "60", "-f", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
    data = json.loads(json_out.read_text(encoding="utf-8"))
    pdf = tmp_path / "agenda.pdf"
    print_to_pdf(html, pdf)
    pages = pdf_pages(pdf)
    info = subprocess.run([need("pdfinfo"), "-f", "1", "-l", str(pages), str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    sizes = [tuple(map(float, m)) for m in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    print(f"\n議題整理表 PDF: {pages} ページ, 用紙 {sizes[0]} pt")
    assert len(sizes) == pages and all(w > h for w, h in sizes), sizes      # landscape on every page
    # -raw keeps the order of the page content (DOM order), so a title wrapped in its narrow
    # column is not interleaved with the neighbouring columns.
    text = _squash(raw_text(pdf))
    for item in data["items"]:
        assert _squash(item["title"]) in text, item["title"]
        topics = {r["topic"] for r in item["requests"]}
        assert 1 <= len(item["request_groups"]) <= 5 and len(item["request_groups"]) >= min(3, len(topics))
        assert _squash(item["request_groups"][0]["text"]) in text               # the grouped request on the sheet
        assert all(_squash(r["what"]) in text for r in item["requests"])          # every request in the appendix
    assert "時間超過" in text and "警告" in text
    # The header row repeats on every page: one table continued, not one table per page.
    per_page = [_squash(raw_text(pdf, n)) for n in range(1, pages + 1)]
    assert all("事前に求める資料" in page for page in per_page)


def sheet_pages(pdf: Path) -> int:
    """Pages of the sheet itself: those before the appendix of every request."""
    pages = pdf_pages(pdf)
    for n in range(1, pages + 1):
        if "付録事前に求める資料の全件" in _squash(raw_text(pdf, n)):
            return n - 1
    return pages


def _page_size(pdf: Path) -> tuple[int, int]:
    info = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return tuple(round(float(x)) for x in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())


def test_a_meeting_sheet_fits_a_few_a4_landscape_pages(tmp_path: Path) -> None:
    """Six items on two A4 landscape pages and the 33 seed items on at most ten, before the appendix
    of every request; A3 landscape when asked. The page size comes from the page CSS alone."""
    meetings = (("six", sorted(SEEDS.glob("001-*.yaml")), 6, 2), ("seeds", sorted(SEEDS.glob("*.yaml")), 33, 10))
    for name, files, count, limit in meetings:
        (tmp_path / name).mkdir()   # one folder per print: each Chromium run gets its own profile there
        html, pdf = tmp_path / name / "agenda.html", tmp_path / name / "agenda.pdf"
        result = CliRunner().invoke(app, ["agenda", *map(str, files), "-f", "html", "-o", str(html)])
        assert result.exit_code == 0, result.output
        print_to_pdf(html, pdf)
        assert len(files) == count and _page_size(pdf) == (842, 595)
        assert sheet_pages(pdf) <= limit, f"{name}: {sheet_pages(pdf)} ページ（上限 {limit}）"
    (tmp_path / "a3").mkdir()
    html, pdf = tmp_path / "a3" / "agenda.html", tmp_path / "a3" / "agenda.pdf"
    result = CliRunner().invoke(app, ["agenda", *map(str, meetings[0][1]), "--paper", "A3", "-f", "html", "-o", str(html)])
    assert result.exit_code == 0, result.output
    print_to_pdf(html, pdf)
    assert _page_size(pdf) == (1191, 842)
