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
        assert item["requests"] and _squash(item["requests"][0]["text"]) in text
    assert "時間超過" in text and "警告" in text
    # The header row repeats on every page: one table continued, not one table per page.
    per_page = [_squash(raw_text(pdf, n)) for n in range(1, pages + 1)]
    assert all("事前に求める資料" in page for page in per_page)
