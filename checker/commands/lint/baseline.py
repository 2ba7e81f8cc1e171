"""Baseline: record today's open findings, then report only findings that are new.

An entry is (file, rule id, content path), e.g. ("proposals/a.yaml", "SEN-001", "data_items[病歴]").
A list item is named by its own identifying value (a data item's or vendor's name, a transfer's
from and to), not by its position, the way SARIF's partialFingerprints name a result: inserting,
removing or reordering other items changes nothing, and an item whose identifying value changes
is new. Line numbers are left out for the same reason. File paths are stored relative to the
baseline file's folder, so the baseline works from any working directory. A finding is new when
any of its locations is missing from the baseline (a second sensitive item added to an already
recorded SEN-001 finding is reported).

Version 1 files named items by position (`data_items[3]`); they are still read, with a notice
that recommends writing the baseline again.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import replace
from pathlib import Path
from typing import Any

from checker.commands.lint.results import FileResult
from checker.core.errors import InputError, Problem
from checker.core.findings import Finding, Report, summarise

VERSION = 2
READABLE_VERSIONS = (1, 2)
Entry = tuple[str, str, str]

# The keys that identify an item of each list of a proposal (checker/core/proposal.py). A list not
# named here is keyed by its items' `name`; an item with none of its keys by a digest of its content.
IDENTITY: dict[str, tuple[str, ...]] = {
    "transfers": ("from", "to", "medium"), "deliveries": ("what",), "provisions": ("recipient",),
    "approvals": ("authority", "subject"), "accepted_risks": ("rule",),
}
_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def _parts(path: str) -> list[str | int]:
    """'vendors[0].name' -> ['vendors', 0, 'name']."""
    return [int(index) if index else name for index, name in _TOKEN.findall(path)]


def _identity(field: str, item: Any) -> str:
    if isinstance(item, (str, int, float, bool)):
        return str(item)
    if isinstance(item, dict):
        keys = IDENTITY.get(field, ("name",))
        named = [(key, str(item[key])) for key in keys
                 if isinstance(item.get(key), (str, int)) and str(item[key]).strip()]
        if len(keys) == 1 and named:
            return named[0][1]   # `- 氏名` and `- {name: 氏名}` are the same item
        if named:
            return ",".join(f"{key}={value}" for key, value in named)
    canonical = json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)
    return "#" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def content_path(data: Any, path: str) -> str:
    """A location path with each list index replaced by the item's identifying value:
    'data_items[3]' -> 'data_items[病歴]'. Two items with the same value are told apart by
    their order among themselves ('…#2'). A path the data does not hold is returned as it is."""
    out, node, field = "", data, ""
    for part in _parts(path):
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return path
            item = node[part]
            ident = _identity(field, item)
            twins = sum(1 for other in node[:part] if _identity(field, other) == ident)
            out += f"[{ident}#{twins + 1}]" if twins else f"[{ident}]"
            node = item
        else:
            out += f".{part}" if out else part
            field = part
            node = node.get(part) if isinstance(node, dict) else None
    return out


def content_paths(data: Any, findings: Iterable[Finding]) -> tuple[tuple[str, str], ...]:
    """(location path, content path) for every location of these findings that names a list item."""
    out: dict[str, str] = {}
    for finding in findings:
        for loc in finding.locations:
            if "[" in loc.path and loc.path not in out:
                out[loc.path] = content_path(data, loc.path)
    return tuple(sorted(out.items()))


def _relative(path: str, base: Path) -> str:
    return Path(os.path.relpath(Path(path).resolve(), base.resolve())).as_posix()


def _keyed(result: FileResult) -> dict[str, str]:
    return dict(result.content_paths)


def entries(result: FileResult, finding: Finding, base: Path) -> set[Entry]:
    file, keyed = _relative(result.path, base), _keyed(result)
    return {(file, finding.rule_id, keyed.get(loc.path, loc.path)) for loc in finding.locations}


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


def read_with_notice(path: Path) -> tuple[set[Entry], str]:
    """Entries of a baseline file and a notice for an old one; a missing or malformed file is an
    InputError (exit 2)."""
    hint = "`shingikai lint フォルダ --write-baseline ファイル` で作り直してください。"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(path), [Problem("ベースラインファイルが見つかりません。", hint)]) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(path), [Problem(f"ベースラインファイルを読めません（{exc}）。", hint)]) from None
    try:
        version = data.get("version")
        if version not in READABLE_VERSIONS:
            raise ValueError
        found = {(str(e["file"]), str(e["rule"]), str(e["path"])) for e in data["findings"]}
    except (AttributeError, KeyError, TypeError, ValueError):
        raise InputError(str(path), [Problem("ベースラインファイルの形式が正しくありません。", hint)]) from None
    notice = ""
    if version < VERSION:
        notice = (f"{path}: お知らせ: 古い形式（version {version}）のベースラインです。リストの項目を位置（例: data_items[3]）"
                  "で照合するため、項目を加える・削る・並べ替えると記録済みの指摘が新しい指摘として出ることがあります。"
                  "--write-baseline で書き直すと、項目を名前で照合します。")
    return found, notice


def read(path: Path) -> set[Entry]:
    """Entries of a baseline file (see read_with_notice)."""
    return read_with_notice(path)[0]


def _recorded(result: FileResult, finding: Finding, known: AbstractSet[Entry], base: Path) -> bool:
    """Every location of the finding is recorded, by content (version 2) or by position (version 1)."""
    file, keyed = _relative(result.path, base), _keyed(result)
    return all((file, finding.rule_id, keyed.get(loc.path, loc.path)) in known
               or (file, finding.rule_id, loc.path) in known for loc in finding.locations)


def apply_one(result: FileResult, known: AbstractSet[Entry], base: Path) -> FileResult:
    """Drop open findings whose every location is recorded; count them as baselined."""
    if result.report is None:
        return result
    kept = [f for f in result.report.findings
            if f.status != "open" or not _recorded(result, f, known, base)]
    dropped = len(result.report.findings) - len(kept)
    report: Report = result.report.model_copy(update={"findings": kept, "summary": summarise(kept)})
    return replace(result, report=report, baselined=dropped)
