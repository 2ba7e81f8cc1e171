"""Golden files: every document in every format of the registry (checker/reporters/FORMATS), rendered
from fixed models and compared byte for byte. The models are built from the model classes alone,
not from the live rule base (tests/report_samples.py, tests/document_samples.py), so a rule edit
never moves them; a reporter or template change does.

Regenerate after an intended change of a reporter or template, then review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.reporters import FORMATS, render, render_lint

from .document_samples import sample_agenda, sample_catalogue, sample_diff, sample_lint_results
from .report_samples import sample_report

GOLDEN = Path(__file__).parent / "golden"
EXTENSIONS = {"text": "txt", "md": "md", "html": "html", "json": "json", "json_refs": "refs.json", "csv": "csv", "sarif": "sarif",
              "junit": "junit.xml", "github": "github.txt", "draft_md": "draft.md", "draft_html": "draft.html"}
SUBJECTS = {"report": lambda: [sample_report()], "agenda": sample_agenda, "diff": sample_diff,
            "rules": sample_catalogue}
CASES = [(document, name) for document, formats in FORMATS.items() for name in formats]


def rendered(document: str, name: str) -> str:
    if document == "lint":
        return render_lint(name, sample_lint_results())
    return render(document, name, SUBJECTS[document]())


@pytest.mark.parametrize(("document", "name"), CASES, ids=[f"{d}-{n}" for d, n in CASES])
def test_reporter_matches_golden_file(document: str, name: str, monkeypatch) -> None:
    monkeypatch.delenv("SHINGIKAI_DOCS_URL", raising=False)  # SARIF's helpUri would name the docs' address
    text = rendered(document, name).encode("utf-8")
    path = GOLDEN / f"{document}.{EXTENSIONS[name]}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(text)
    assert path.exists(), f"{path} がありません。UPDATE_GOLDEN=1 pytest tests/test_golden.py で作成してください。"
    assert text == path.read_bytes(), (f"{document} の {name} 出力がゴールデンファイル {path.name} と異なります。意図した変更なら "
                                       "UPDATE_GOLDEN=1 pytest tests/test_golden.py で更新し、差分を確認してください。")


def test_every_golden_file_belongs_to_a_registered_format() -> None:
    """A format removed from the registry leaves no golden file behind to mislead."""
    expected = {f"{document}.{EXTENSIONS[name]}" for document, name in CASES}
    assert {p.name for p in GOLDEN.iterdir() if not p.name.startswith(".")} == expected


def test_golden_report_shows_every_state() -> None:
    """The fixture is only useful if it carries what the reporters must show."""
    text = (GOLDEN / "report.txt").read_text(encoding="utf-8")
    html = (GOLDEN / "report.html").read_text(encoding="utf-8")
    for rule_id in ("SEN-901", "NET-901", "TRN-901", "CLD-901", "DEL-901", "VEN-901"):
        assert rule_id in text and rule_id in html
    assert "継続審議の可能性" in html and "国の標準仕様に沿ったサービス" in html and "期限切れ" in html


def test_golden_documents_show_what_their_readers_need() -> None:
    """The other fixtures carry their states too: lint an invalid file and an unused acceptance,
    the agenda a group, an overflow and an error, the diff every bucket."""
    lint = (GOLDEN / "lint.txt").read_text(encoding="utf-8")
    assert "error INPUT" in lint and "note UNUSED" in lint and "sample-clean.yaml" not in lint
    agenda = (GOLDEN / "agenda.txt").read_text(encoding="utf-8")
    assert "まとめて審議する案件" in agenda and "時間超過" in agenda and "読み込めなかったファイル" in agenda
    assert "関連案件 sample-missing はこの議題にありません" in agenda
    diff = (GOLDEN / "diff.txt").read_text(encoding="utf-8")
    assert "解消した指摘" in diff and "新たに申告された安全管理措置" in diff and "変更された記載" in diff
