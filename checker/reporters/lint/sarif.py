"""SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning, Azure DevOps, IDE viewers).

- tool.driver.rules: the rules that have results, each with short/full description, help text
  listing its safeguards and a helpUri into the generated rule docs (docs/rules.md#ID). SARIF
  and GitHub's upload require an absolute helpUri, so the docs' address comes from
  $SHINGIKAI_DOCS_URL or the package's Documentation URL; without one, helpUri is left out and
  the help text names docs/rules.md#ID instead (a relative helpUri makes the upload fail).
- artifact URIs are percent-encoded (Japanese file names are not valid URI references as is).
- results: level high → error, medium → warning, low → note; message = title + because;
  every location with its start line and column (columns count Unicode code points).
- accepted risks stay in the log as results with an inSource suppression and its justification.
- an invalid input file is a result of the pseudo-rule INPUT (level error) at the line of the
  problem, so it shows up in the same dashboards as findings rather than in a side channel.
- a placeholder value (未定, TBD, ○○ …, read as unstated) is a result of the pseudo-rule
  PLACEHOLDER (level note) at the value.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from checker.commands.lint.results import FileResult, LintSummary, RuleInfo
from checker.core.findings import Finding
from checker.reporters.jsonout import dumps  # json.dumps(..., ensure_ascii=False, indent=2), same text, faster
from checker.reporters.lint.common import position, shown, status_note
from checker.reporters.lint.pieces import spliced
from checker.version import __version__

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"high": "error", "medium": "warning", "low": "note"}
DOCS = "docs/rules.md"
INPUT_RULE = "INPUT"
PLACEHOLDER_RULE = "PLACEHOLDER"


def docs_uri() -> str | None:
    """Absolute address of docs/rules.md: $SHINGIKAI_DOCS_URL, else the package's Documentation URL."""
    candidates = [os.environ.get("SHINGIKAI_DOCS_URL", "")]
    try:
        from importlib.metadata import metadata
        for entry in metadata("shingikai-checker").get_all("Project-URL") or []:
            name, _, url = entry.partition(",")
            if name.strip().lower() == "documentation":
                candidates.append(url.strip())
    except Exception:  # metadata missing in an uninstalled checkout
        pass
    return next((c for c in candidates if urlsplit(c).scheme in ("http", "https", "file")), None)


@lru_cache(maxsize=4096)  # every location of a file names it: resolve each path once
def uri(path: str) -> str:
    p = Path(path)
    return p.resolve().as_uri() if p.is_absolute() else quote(p.as_posix())


def _rule(info: RuleInfo, base: str | None) -> dict[str, Any]:
    safeguards = "\n".join(f"- {text}（{sid}）" for sid, text in info.safeguards)
    more = f"\n\n詳しくは {DOCS}#{info.id} を参照してください。"
    out: dict[str, Any] = {
        "id": info.id,
        "name": info.id.replace("-", ""),
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.why},
        "help": {"text": f"求められる安全管理措置:\n{safeguards}{more}",
                 "markdown": f"**求められる安全管理措置**\n\n{safeguards}{more}"},
        "defaultConfiguration": {"level": LEVELS[info.severity]},
        "properties": {"tags": ["privacy", info.topic_label], "severity": info.severity},
    }
    if base:
        out["helpUri"] = f"{base}#{info.id}"
    return out


_INPUT_DESCRIPTOR = {
    "id": INPUT_RULE,
    "name": "InvalidProposalFile",
    "shortDescription": {"text": "案件ファイルを読み取れない"},
    "fullDescription": {"text": "YAML の構文、スキーマ、未知の ID などの誤りで案件ファイルを点検できなかった。"},
    "help": {"text": "メッセージの行・列を直してから、もう一度点検してください。"},
    "defaultConfiguration": {"level": "error"},
}
_PLACEHOLDER_DESCRIPTOR = {
    "id": PLACEHOLDER_RULE,
    "name": "PlaceholderValue",
    "shortDescription": {"text": "仮の記載（未定・TBD・○○ など）"},
    "fullDescription": {"text": "値の代わりに仮の語や穴埋めの記号が書かれている。記載なしとして点検した。"},
    "help": {"text": "決まった内容か、決まっていない理由と決める時期を書いてください。"},
    "defaultConfiguration": {"level": "note"},
}


def _location(path: str, line: int, column: int, logical: str = "") -> dict[str, Any]:
    loc: dict[str, Any] = {"physicalLocation": {
        "artifactLocation": {"uri": uri(path)},
        "region": {"startLine": line, "startColumn": column}}}
    if logical:
        loc["logicalLocations"] = [{"fullyQualifiedName": logical, "kind": "member"}]
    return loc


def fingerprint(path: str, finding: Finding, content_paths: dict[str, str] | None = None) -> str:
    """Stable across edits that move lines or other list items: file, rule and the YAML paths it
    names, each list item named by its identifying value (checker/commands/lint/baseline.py)."""
    keyed = content_paths or {}
    key = "|".join([Path(path).as_posix(), finding.rule_id, *sorted(keyed.get(x.path, x.path) for x in finding.locations)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _result(result: FileResult, finding: Finding) -> dict[str, Any]:
    text = f"{finding.title}（問われる見込み {finding.likelihood_label}）: {finding.because}"
    note = finding.note
    if note:
        text += f"（{note}）"
    out: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": -1,  # set by assemble(), which knows every rule used
        "level": LEVELS[finding.residual_severity],
        "message": {"text": text},
        "locations": [_location(result.path, x.line, x.column, x.path) for x in finding.locations],
        "partialFingerprints": {"shingikaiFinding/v2": fingerprint(result.path, finding, dict(result.content_paths))},
        "properties": {"status": finding.status, "severity": finding.severity,
                       "residualSeverity": finding.residual_severity, "likelihood": finding.likelihood,
                       "rules": finding.rules,
                       "questions": finding.questions,
                       "missingSafeguards": [s.id for s in finding.missing_safeguards]},
    }
    if finding.status == "accepted":
        a = finding.acceptance
        suppression: dict[str, Any] = {"kind": "inSource", "status": "accepted",
                                       "justification": a.reason if a else status_note(finding)}
        if a and (a.approved_by or a.until):
            suppression["properties"] = {"approvedBy": a.approved_by,
                                         "until": a.until.isoformat() if a.until else None}
        out["suppressions"] = [suppression]
    return out


def part(result: FileResult) -> tuple[frozenset[str], list[dict[str, Any]]]:
    """One file's results — its input errors (pseudo-rule INPUT), its findings, its placeholders — with
    the rule ids they use (the rules list comes first: pieces.py)."""
    out = []
    for problem in result.problems:
        line, col = position(problem)
        text = problem.message + (f" {problem.hint}" if problem.hint else "")
        out.append({"ruleId": INPUT_RULE, "ruleIndex": -1, "level": "error",
                    "message": {"text": text}, "locations": [_location(result.path, line, col)]})
    out.extend(_result(result, finding) for finding in shown(result))
    for x in result.report.placeholders if result.report else ():
        out.append({"ruleId": PLACEHOLDER_RULE, "ruleIndex": -1, "level": "note", "message": {"text": x.message},
                    "locations": [_location(result.path, x.line, x.column, x.path)]})
    return frozenset(r["ruleId"] for r in out), out


RESULT_INDENT = 8  # a result inside {"runs": [{"results": [...]}]}


def assemble(parts: Sequence[tuple[frozenset[str], list[dict[str, Any]]]], summary: LintSummary) -> Iterator[str]:
    base = docs_uri()
    pseudo = (INPUT_RULE, PLACEHOLDER_RULE)
    cited = frozenset().union(*(ids for ids, _ in parts))
    used = sorted(cited - set(pseudo))
    descriptors = [_rule(summary.rules[rid], base) for rid in used if rid in summary.rules]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    if summary.counts()["invalid"]:
        index[INPUT_RULE] = len(descriptors)
        descriptors.append(_INPUT_DESCRIPTOR)
    if PLACEHOLDER_RULE in cited:
        index[PLACEHOLDER_RULE] = len(descriptors)
        descriptors.append(_PLACEHOLDER_DESCRIPTOR)

    def results() -> Iterator[str]:
        for _, items in parts:
            for item in items:
                item["ruleIndex"] = index.get(item["ruleId"], -1)
                yield dumps(item)

    driver = {"name": "shingikai", "fullName": "shingikai-checker（審議会チェッカー）",
              "version": __version__, "semanticVersion": __version__, "rules": descriptors}
    document = dumps({"$schema": SCHEMA, "version": "2.1.0",
                      "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": []}]})
    yield from spliced(document, "results", results(), RESULT_INDENT)
    yield "\n"
