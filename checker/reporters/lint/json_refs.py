"""Lint JSON, lighter: as `json`, with the precedent sources and safeguard texts of every file's
report said once in a top-level `references` (checker/reporters/references.py)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from checker.commands.lint.results import FileResult, LintSummary
from checker.reporters import references
from checker.reporters.jsonout import dumps
from checker.reporters.lint import json as full


def part(result: FileResult) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """One file's entry, and the references its report cites (merged by assemble)."""
    entry = full.part(result)
    table = references.empty()
    if "report" in entry:
        entry["report"] = references.lift(entry["report"], table)
    return entry, table


def assemble(parts: Sequence[tuple[dict[str, Any], dict[str, dict[str, Any]]]], summary: LintSummary) -> str:
    table = references.merged(cited for _, cited in parts)
    return dumps({**full.records([entry for entry, _ in parts], summary), "references": table}) + "\n"
