"""Golden files: one fixed Report through every reporter, compared byte for byte.

Regenerate after an intended change of a reporter or template, then review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.reporters import FORMATS, render

from .report_samples import sample_report

GOLDEN = Path(__file__).parent / "golden"
EXTENSIONS = {"text": "txt", "md": "md", "html": "html", "json": "json", "csv": "csv"}


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_reporter_matches_golden_file(fmt: str) -> None:
    rendered = render("report", fmt, [sample_report()]).encode("utf-8")
    path = GOLDEN / f"report.{EXTENSIONS[fmt]}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(rendered)
    assert path.exists(), f"{path} がありません。UPDATE_GOLDEN=1 pytest tests/test_golden.py で作成してください。"
    expected = path.read_bytes()
    assert rendered == expected, (f"{fmt} の出力がゴールデンファイル {path.name} と異なります。意図した変更なら "
                                  "UPDATE_GOLDEN=1 pytest tests/test_golden.py で更新し、差分を確認してください。")


def test_every_report_format_has_a_golden_file() -> None:
    # A format added to FORMATS without a golden file would go unchecked.
    assert set(FORMATS["report"]) <= set(EXTENSIONS), set(FORMATS["report"]) - set(EXTENSIONS)


def test_golden_report_shows_every_state() -> None:
    """The fixture is only useful if it carries what the reporters must show."""
    text = (GOLDEN / "report.txt").read_text(encoding="utf-8")
    html = (GOLDEN / "report.html").read_text(encoding="utf-8")
    for rule_id in ("SEN-901", "NET-901", "TRN-901", "CLD-901", "DEL-901", "VEN-901"):
        assert rule_id in text and rule_id in html
    assert "継続審議の可能性" in html and "国の標準仕様に沿ったサービス" in html and "期限切れ" in html
