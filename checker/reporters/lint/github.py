"""GitHub Actions workflow commands: annotations on the PR diff, the most severe first.

high → ::error, medium → ::warning, low → ::notice; accepted findings are notices marked as
accepted, so a reviewer still sees them. Invalid files are ::error annotations.

GitHub shows at most 10 annotations of each level per step and drops the rest, so they are
printed errors first, then warnings, then notices (file order within a level), at most LIMIT of
each; the ones past that are still printed as plain log lines. One closing notice gives the
counts and where the whole report is.
"""
from __future__ import annotations

from collections.abc import Sequence

from checker.commands.lint.results import FileResult, LintSummary
from checker.core.printable import visible
from checker.reporters.lint.common import also_at, by_position, position, status_note, summary_line, unused_note

LEVELS = {"high": "error", "medium": "warning", "low": "notice"}
ORDER = ("error", "warning", "notice")
LIMIT = {"error": 10, "warning": 10, "notice": 9}  # GitHub's 10 a level; one notice is the summary
SUMMARY_TITLE = "shingikai lint の結果"

Annotation = tuple[str, str, str]  # (level, workflow command, the same as a plain log line)


def _data(text: str) -> str:
    text = visible(text)  # an ESC sequence would act on the CI log
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, file: str, line: int, col: int, title: str, message: str) -> str:
    return (f"::{level} file={_prop(file)},line={line},col={col},title={_prop(title)}::"
            f"{_data(message)}")


def _annotation(level: str, file: str, line: int, col: int, title: str, message: str) -> Annotation:
    plain = visible(f"{file}:{line}:{col}: {level} {title}")
    return level, command(level, file, line, col, title, message), plain


def part(result: FileResult) -> list[Annotation]:
    """The annotations of one file, in file order."""
    out: list[Annotation] = []
    for problem in result.problems:
        line, col = position(problem)
        message = problem.message + (f"\n→ {problem.hint}" if problem.hint else "")
        out.append(_annotation("error", result.path, line, col, "入力エラー（案件ファイルを読めません）", message))
    for finding, loc, others in by_position(result):
        note = status_note(finding)
        level = "notice" if finding.status == "accepted" else LEVELS[finding.residual_severity]
        title = f"{finding.rule_id} {finding.title}" + ("（受容済み）" if finding.status == "accepted" else "")
        body = [f"{finding.because}（問われる見込み {finding.likelihood_label}）{also_at(others)}"]
        if note:
            body.append(note)
        body.append("安全管理措置: " + "／".join(
            f"{'済' if s.declared else '未'} {s.text}（{s.id}）" for s in finding.safeguards))
        out.append(_annotation(level, result.path, loc.line, loc.column, title, "\n".join(body)))
    for rule_id, line, col in result.unused_acceptances:
        out.append(_annotation("notice", result.path, line, col, "使われていないリスク受容", unused_note(rule_id)))
    for x in result.report.placeholders if result.report else ():
        out.append(_annotation("notice", result.path, x.line, x.column, "仮の記載（記載なしとして点検）", x.message))
    return out


def assemble(parts: Sequence[list[Annotation]], summary: LintSummary) -> str:
    every = [a for file_annotations in parts for a in file_annotations]
    shown: list[str] = []
    rest: list[str] = []
    left_out = dict.fromkeys(ORDER, 0)
    for level in ORDER:
        of_level = [a for a in every if a[0] == level]
        shown.extend(a[1] for a in of_level[:LIMIT[level]])
        rest.extend(a[2] for a in of_level[LIMIT[level]:])
        left_out[level] = max(0, len(of_level) - LIMIT[level])
    lines = shown + rest
    lines.append(f"::notice title={_prop(SUMMARY_TITLE)}::{_data(_closing(summary, left_out))}")
    lines.append(summary_line(summary))
    return "".join(f"{line}\n" for line in lines)


def _closing(summary: LintSummary, left_out: dict[str, int]) -> str:
    text = summary_line(summary)
    if any(left_out.values()):
        text += ("。GitHub は注釈を種類ごとに 10 件までしか表示しないため、重要度の高い順に表示し、"
                 f"error {left_out['error']}・warning {left_out['warning']}・notice {left_out['notice']} 件は"
                 "注釈にしていません（このステップのログに 1 行ずつあります）")
    reports = "、".join(summary.reports)
    where = f"{reports}（このジョブで書き出したファイル）" if reports else "`shingikai lint` のテキスト出力（-f text）"
    return text + f"。すべての指摘と直し方: {where}"
