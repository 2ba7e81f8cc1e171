"""Lint JSON: every file with its report records (as `shingikai check --format json`) or its errors."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from checker.commands.lint.results import FileResult, LintSummary
from checker.reporters.jsonout import dumps  # json.dumps(..., ensure_ascii=False, indent=2), same text, faster


def part(result: FileResult) -> dict[str, Any]:
    """One file's entry of the `files` list."""
    entry: dict[str, Any] = {"file": result.path, "valid": result.error is None}
    if result.report is not None:
        entry["report"] = result.report.as_records()
        entry["baselined"] = result.baselined
        entry["unused_accepted_risks"] = [{"rule": rid, "line": line, "column": col}
                                          for rid, line, col in result.unused_acceptances]
    else:
        entry["errors"] = [{"message": p.message, "hint": p.hint, "line": p.line, "column": p.column}
                           for p in result.problems]
    return entry


def records(parts: Sequence[dict[str, Any]], summary: LintSummary) -> dict[str, Any]:
    return {"version": 1, "fail_on": summary.fail_on, "exit_code": summary.exit_code(),
            "summary": summary.counts(), "files": list(parts)}


def assemble(parts: Sequence[dict[str, Any]], summary: LintSummary) -> str:
    return dumps(records(parts, summary)) + "\n"
