"""GitHub Actions workflow commands: one annotation per finding location, shown on the PR diff.

high → ::error, medium → ::warning, low → ::notice; accepted findings are notices marked as
accepted, so a reviewer still sees them. Invalid files are ::error annotations.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..lint_results import (FileResult, LintSummary, by_position, position, status_note, summary_line,
                            unused_note)

LEVELS = {"high": "error", "medium": "warning", "low": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, file: str, line: int, col: int, title: str, message: str) -> str:
    return (f"::{level} file={_prop(file)},line={line},col={col},title={_prop(title)}::"
            f"{_data(message)}")


def part(result: FileResult) -> str:
    """The annotations of one file (each line ends with a newline)."""
    lines: list[str] = []
    for problem in result.problems:
        line, col = position(problem)
        message = problem.message + (f"\n→ {problem.hint}" if problem.hint else "")
        lines.append(command("error", result.path, line, col, "入力エラー（案件ファイルを読めません）", message))
    for finding, loc in by_position(result):
        note = status_note(finding)
        level = "notice" if finding.status == "accepted" else LEVELS[finding.residual_severity]
        title = f"{finding.rule_id} {finding.title}" + ("（受容済み）" if finding.status == "accepted" else "")
        body = [finding.because]
        if note:
            body.append(note)
        body.append("安全管理措置: " + "／".join(
            f"{'済' if s.declared else '未'} {s.text}（{s.id}）" for s in finding.safeguards))
        lines.append(command(level, result.path, loc.line, loc.column, title, "\n".join(body)))
    for rule_id, line, col in result.unused_acceptances:
        lines.append(command("notice", result.path, line, col, "使われていないリスク受容", unused_note(rule_id)))
    return "".join(f"{line}\n" for line in lines)


def assemble(parts: Sequence[str], summary: LintSummary) -> str:
    return "".join(parts) + summary_line(summary) + "\n"
