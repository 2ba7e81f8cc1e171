"""Lint text: `file:line:col: 重要度 rule-id title（見込み NN%）`, one line per finding, like compilers.

The severity is printed in Japanese (高・中・低) as in every report; a finding that applies at several
places is printed once, at its first place, with the others after it.

Input errors use the same shape with `error INPUT`; a summary line closes the output.
"""
from __future__ import annotations

from collections.abc import Sequence

from checker.commands.lint.results import FileResult, LintSummary
from checker.core.printable import visible
from checker.core.findings import SEVERITY_LABELS
from checker.reporters.lint.common import also_at, by_position, position, status_note, summary_line, unused_note

# part() reads of a report only each finding's rule id, title, residual severity, status, acceptance
# note, chance label and locations, and the placeholders: an outline report holds all of them, so
# `shingikai lint` skips the texts, topics and predicted outcome nobody reads here (pipeline.check_loaded).
OUTLINE = True


def part(result: FileResult) -> str:
    """The lines of one file (each ends with a newline)."""
    lines: list[str] = []
    for problem in result.problems:
        line, col = position(problem)
        hint = f"（{problem.hint}）" if problem.hint else ""
        lines.append(f"{result.path}:{line}:{col}: error INPUT {problem.message}{hint}\n")
    for finding, loc, others in by_position(result):
        note = status_note(finding)
        suffix = f" [{note}]" if note else ""
        lines.append(f"{result.path}:{loc.line}:{loc.column}: {SEVERITY_LABELS[finding.residual_severity]} "
                     f"{finding.rule_id} {finding.title}（見込み {finding.likelihood_label}）{also_at(others)}{suffix}\n")
    for rule_id, line, col in result.unused_acceptances:
        lines.append(f"{result.path}:{line}:{col}: note UNUSED {unused_note(rule_id)}\n")
    for x in result.report.placeholders if result.report else ():
        lines.append(f"{result.path}:{x.line}:{x.column}: note PLACEHOLDER {x.message}\n")
    return visible("".join(lines))  # values from the proposal reach a terminal or a CI log


def assemble(parts: Sequence[str], summary: LintSummary) -> str:
    return "".join(parts) + summary_line(summary) + "\n"
