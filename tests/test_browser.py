"""The HTML report proven in a real browser: headless Chromium prints it to PDF and screenshots it.

Needs Debian's chromium, fonts-noto-cjk and poppler-utils (installed by .ci/run). Under CI
(.ci/run exports CI=true) these tests fail rather than skip when a tool or the fonts are missing.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.core.pipeline import check_file

from .browser import decode_png, need, pdf_pages, pdf_text, print_to_pdf, screenshot
from .conftest import ROOT, unavailable

# Reconstructed from seed 002 item (2): sensitive data undeclared and a USB migration.
PROPOSAL = ROOT / "proposals" / "examples" / "child-consultation-migration.yaml"


@pytest.fixture
def html_report(tmp_path: Path) -> Path:
    """The report as a department makes it: `shingikai check FILE --format html --output ...`."""
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["check", str(PROPOSAL), "--format", "html", "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _squash(text: str) -> str:
    # pdftotext breaks lines wherever the layout wraps; compare without any whitespace.
    return re.sub(r"\s+", "", text)


def test_japanese_fonts_are_installed() -> None:
    """Without a Japanese font the PDF would show empty boxes instead of characters."""
    fc_list = need("fc-list")
    fonts = subprocess.run([fc_list, ":lang=ja", "family"], capture_output=True, text=True, check=True).stdout
    if "Noto Sans CJK JP" not in fonts:
        unavailable("日本語フォント Noto Sans CJK JP がありません（apt-get install fonts-noto-cjk、または .ci/run）")


def test_pdf_printed_by_chromium_carries_rule_ids_and_japanese_questions(html_report: Path, engine) -> None:
    report = check_file(PROPOSAL, engine)
    assert report.findings, "the example must produce findings for this test to mean anything"
    pdf = html_report.with_suffix(".pdf")
    print_to_pdf(html_report, pdf)

    pages = pdf_pages(pdf)
    text = _squash(pdf_text(pdf))
    print(f"\nPDF: {pages} ページ, {len(text)} 文字")
    assert pages >= 1
    for f in report.findings:
        assert f.rule_id in text
    first_question = report.findings[0].questions[0]
    assert _squash(first_question) in text, first_question
    for heading in ("1.概要", "2.リスクマップ", "3.想定質問", "4.必要な安全管理措置", report.assessment.label):
        assert heading in text
    assert "\ufffd" not in text


# Background of the overall-risk box per risk level (the --*-bg colours of report.html.j2).
RISK_BACKGROUND = {"high": b"\xfd\xe6\xe3", "medium": b"\xff\xf1\xcc", "low": b"\xe2\xef\xf9", "none": b"\xe3\xf3\xe8"}


def test_screenshot_is_not_blank(html_report: Path, engine) -> None:
    png = html_report.with_suffix(".png")
    screenshot(html_report, png, size="800,1100")
    width, height, rows = decode_png(png.read_bytes())
    assert (width, height) == (800, 1100)
    pixels = [row[i:i + 3] for row in rows for i in range(0, len(row), 3)]
    ink = sum(1 for px in pixels if min(px) < 200)
    colours = set(pixels)
    # The overall-risk box in its colour shows that the inline stylesheet was applied.
    risk = check_file(PROPOSAL, engine).summary.risk
    risk_bg = sum(1 for px in pixels if px == RISK_BACKGROUND[risk])
    print(f"\nscreenshot {width}x{height}: 濃い画素 {ink / len(pixels):.1%}, 色数 {len(colours)}, リスク欄の背景 {risk_bg} 画素")
    assert ink / len(pixels) > 0.01
    assert len(colours) > 20
    assert risk_bg > 1000


EXAMPLE_FILES = sorted((ROOT / "proposals" / "examples").glob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_bundled_example_prints_in_a_few_a4_pages(example: Path, tmp_path: Path) -> None:
    """A section chief signs a short report: at most 5 A4 pages, a complete proposal at most 3
    (measured from the PDF Chromium prints), and the first page carries the top questions."""
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    result = CliRunner().invoke(app, ["check", str(example), "--format", "html", "--output", str(html)])
    assert result.exit_code == 0, result.output
    print_to_pdf(html, pdf)
    pages = pdf_pages(pdf)
    limit = 3 if example.stem.startswith("complete-") else 5
    assert pages <= limit, f"{example.name}: {pages} ページ（上限 {limit}）"
    info = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (595, 842), info     # A4 portrait in points
    first = _squash(subprocess.run([need("pdftotext"), "-f", "1", "-l", "1", "-enc", "UTF-8", str(pdf), "-"],
                                   capture_output=True, text=True, check=True).stdout)
    assert "1.概要" in first and ("最も問われそうな論点" in first)
