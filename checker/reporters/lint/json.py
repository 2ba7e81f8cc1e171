"""Lint JSON: every file with its report records (as `shingikai check --format json`) or its errors.

Each file's entry is encoded where the file was linted and waits as text (pieces.py); assemble
writes the document around them one at a time: the same text as json.dumps(indent=2) of the whole."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from checker.commands.lint.results import FileResult, LintSummary
from checker.reporters.jsonout import dumps  # json.dumps(..., ensure_ascii=False, indent=2), same text, faster
from checker.reporters.lint.pieces import spliced

ENTRY_INDENT = 4  # a file's entry inside {"files": [...]}


def entry(result: FileResult) -> dict[str, Any]:
    """One file's entry of the `files` list."""
    out: dict[str, Any] = {"file": result.path, "valid": result.error is None}
    if result.report is not None:
        out["report"] = result.report.as_records()
        out["baselined"] = result.baselined
        out["unused_accepted_risks"] = [{"rule": rid, "line": line, "column": col}
                                        for rid, line, col in result.unused_acceptances]
    else:
        out["errors"] = [{"message": p.message, "hint": p.hint, "line": p.line, "column": p.column}
                         for p in result.problems]
    return out


def part(result: FileResult) -> str:
    return dumps(entry(result))


def head(summary: LintSummary, **after: Any) -> str:
    """The document with an empty `files` list (and whatever follows it)."""
    return dumps({"version": 1, "fail_on": summary.fail_on, "exit_code": summary.exit_code(),
                  "summary": summary.counts(), "files": [], **after})


def assemble(parts: Sequence[str], summary: LintSummary) -> Iterator[str]:
    yield from spliced(head(summary), "files", parts, ENTRY_INDENT)
    yield "\n"
