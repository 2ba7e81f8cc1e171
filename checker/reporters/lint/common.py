"""What the lint formats share: which findings a lint output lists, in what order, and its wording."""
from __future__ import annotations

from checker.commands.lint.results import FileResult, LintResults, LintSummary
from checker.core.errors import Problem
from checker.core.findings import Finding, Location


def shown(result: FileResult) -> list[Finding]:
    """Findings a lint output lists: open and accepted ones (covered ones need no action)."""
    return [f for f in result.findings if f.status != "covered"]


def by_position(result: FileResult) -> list[tuple[Finding, Location, list[Location]]]:
    """One entry per finding, in file order of its first location: (finding, first, the others).

    Line-oriented formats print one line (or annotation) per finding, so their counts agree with
    the summary line; the finding's other places follow on the same line.
    """
    entries = []
    for f in shown(result):
        places = sorted(f.locations, key=lambda loc: (loc.line, loc.column, loc.path))
        if places:
            entries.append((f, places[0], places[1:]))
    return sorted(entries, key=lambda e: (e[1].line, e[1].column, e[0].rule_id, e[1].path))


def also_at(others: list[Location]) -> str:
    """「（ほかに 22行5列、30行3列）」: where else the same finding applies, or empty."""
    if not others:
        return ""
    return "（ほかに " + "、".join(f"{loc.line}行{loc.column}列" for loc in others) + "）"


def position(problem: Problem) -> tuple[int, int]:
    """Line and column of an input problem; (1, 1) when it concerns the whole file."""
    return problem.line or 1, problem.column or 1


def status_note(finding: Finding) -> str:
    """Why an accepted or re-opened finding looks the way it does (empty for plain ones)."""
    if finding.status == "accepted" and finding.acceptance:
        a = finding.acceptance
        until = f"、期限 {a.until.isoformat()}" if a.until else ""
        by = f"、承認 {a.approved_by}" if a.approved_by else ""
        return f"受容済み: {a.reason}{by}{until}"
    return finding.note


def unused_note(rule_id: str) -> str:
    return (f"accepted_risks の {rule_id} に当たる未対応の指摘はありません"
            "（措置済みか、案件が変わりました。不要になった受容は削除してください）")


def summary_line(results: LintSummary | LintResults) -> str:
    c = results.counts()
    text = (f"{c['files']} ファイルを点検: 未対応 高 {c['high']}・中 {c['medium']}・低 {c['low']} 件、"
            f"受容 {c['accepted']} 件、対応済み {c['covered']} 件")
    if c["baselined"]:
        text += f"、ベースライン記録済み {c['baselined']} 件"
    if c["invalid"]:
        text += f"、入力エラー {c['invalid']} ファイル"
    return text
