"""Baseline: record today's open findings, then report only findings that are new.

An entry is (file, rule id, location path), e.g. ("proposals/a.yaml", "TRN-001", "transfers[1]").
Line numbers are left out on purpose, so editing text above a finding does not make it "new".
File paths are stored relative to the baseline file's folder, so the baseline works from any
working directory. A finding is new when any of its locations is missing from the baseline
(a second sensitive item added to an already recorded SEN-001 finding is reported).
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import replace
from pathlib import Path

from checker.commands.lint.results import FileResult
from checker.core.errors import InputError, Problem
from checker.core.findings import Finding, Report, summarise

VERSION = 1
Entry = tuple[str, str, str]


def _relative(path: str, base: Path) -> str:
    return Path(os.path.relpath(Path(path).resolve(), base.resolve())).as_posix()


def entries(result: FileResult, finding: Finding, base: Path) -> set[Entry]:
    file = _relative(result.path, base)
    return {(file, finding.rule_id, loc.path) for loc in finding.locations}


def file_entries(result: FileResult, base: Path) -> set[Entry]:
    """Entries for one file's open findings (accepted ones are not recorded: they may expire)."""
    out: set[Entry] = set()
    for finding in result.findings:
        if finding.status == "open":
            out |= entries(result, finding, base)
    return out


def collect(results: Iterable[FileResult], base: Path) -> list[Entry]:
    """Entries for every open finding of every file, sorted."""
    out: set[Entry] = set()
    for result in results:
        out |= file_entries(result, base)
    return sorted(out)


def text(found: Iterable[Entry]) -> str:
    """The baseline file's text for these entries (the caller writes it atomically)."""
    records = [{"file": f, "rule": r, "path": p} for f, r, p in sorted(set(found))]
    data = {"version": VERSION, "tool": "shingikai", "findings": records}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write(path: Path, results: Iterable[FileResult]) -> str:
    """The baseline file's text for today's open findings."""
    return text(collect(results, path.parent))


def read(path: Path) -> set[Entry]:
    """Entries of a baseline file; a missing or malformed file is an InputError (exit 2)."""
    hint = "`shingikai lint フォルダ --write-baseline ファイル` で作り直してください。"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(path), [Problem("ベースラインファイルが見つかりません。", hint)]) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(path), [Problem(f"ベースラインファイルを読めません（{exc}）。", hint)]) from None
    try:
        if data.get("version") != VERSION:
            raise ValueError
        return {(str(e["file"]), str(e["rule"]), str(e["path"])) for e in data["findings"]}
    except (AttributeError, KeyError, TypeError, ValueError):
        raise InputError(str(path), [Problem("ベースラインファイルの形式が正しくありません。", hint)]) from None


def apply_one(result: FileResult, known: AbstractSet[Entry], base: Path) -> FileResult:
    """Drop open findings whose every location is recorded; count them as baselined."""
    if result.report is None:
        return result
    kept = [f for f in result.report.findings
            if f.status != "open" or not entries(result, f, base) <= known]
    dropped = len(result.report.findings) - len(kept)
    report: Report = result.report.model_copy(update={"findings": kept, "summary": summarise(kept)})
    return replace(result, report=report, baselined=dropped)
