"""Lint JSON: every file with its report records (as `shingikai check --format json`) or its errors."""
from __future__ import annotations

from typing import Any

from ..jsonout import dumps  # json.dumps(..., ensure_ascii=False, indent=2), same text, faster
from ..lint_results import LintResults


def records(results: LintResults) -> dict[str, Any]:
    files = []
    for r in results.files:
        entry: dict[str, Any] = {"file": r.path, "valid": r.error is None}
        if r.report is not None:
            entry["report"] = r.report.as_records()
            entry["baselined"] = r.baselined
            entry["unused_accepted_risks"] = [{"rule": rid, "line": line, "column": col}
                                              for rid, line, col in r.unused_acceptances]
        else:
            entry["errors"] = [{"message": p.message, "hint": p.hint, "line": p.line, "column": p.column}
                               for p in r.problems]
        files.append(entry)
    return {"version": 1, "fail_on": results.fail_on, "exit_code": results.exit_code(),
            "summary": results.counts(), "files": files}


def render_lint(results: LintResults) -> str:
    return dumps(records(results)) + "\n"
