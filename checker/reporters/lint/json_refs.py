"""Lint JSON, lighter: as `json`, with the texts that come from the rule files said once in a
top-level `references` (checker/reporters/references.py)."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from checker.commands.lint.results import FileResult, LintSummary
from checker.reporters import references
from checker.reporters.jsonout import dumps
from checker.reporters.lint import json as full
from checker.reporters.lint.pieces import spliced


def part(result: FileResult) -> tuple[str, references.Table]:
    """One file's entry as text, and the references its report cites (merged by assemble)."""
    entry = full.entry(result)
    table = references.empty()
    if "report" in entry:
        entry["report"] = references.lift(entry["report"], table)
    return dumps(entry), table


def assemble(parts: Sequence[tuple[str, references.Table]], summary: LintSummary) -> Iterator[str]:
    table = references.merged(cited for _, cited in parts)
    document = full.head(summary, references=table)
    yield from spliced(document, "files", (text for text, _ in parts), full.ENTRY_INDENT)
    yield "\n"
