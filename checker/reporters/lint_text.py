"""Lint text: `file:line:col: severity rule-id title`, one line per finding location, like compilers.

Input errors use the same shape with `error INPUT`; a summary line closes the output.
"""
from __future__ import annotations

from ..lint_results import LintResults, by_position, position, status_note, summary_line, unused_note


def render_lint(results: LintResults) -> str:
    lines: list[str] = []
    for result in results.files:
        for problem in result.problems:
            line, col = position(problem)
            hint = f"（{problem.hint}）" if problem.hint else ""
            lines.append(f"{result.path}:{line}:{col}: error INPUT {problem.message}{hint}")
        for finding, loc in by_position(result):
            note = status_note(finding)
            suffix = f" [{note}]" if note else ""
            lines.append(f"{result.path}:{loc.line}:{loc.column}: {finding.residual_severity} "
                         f"{finding.rule_id} {finding.title}{suffix}")
        for rule_id, line, col in result.unused_acceptances:
            lines.append(f"{result.path}:{line}:{col}: note UNUSED {unused_note(rule_id)}")
    lines.append(summary_line(results))
    return "\n".join(lines) + "\n"
