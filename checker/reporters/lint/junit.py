"""JUnit XML for CI test dashboards (GitLab, Jenkins, Azure DevOps, GitHub test reporters).

One <testsuite> per file. Each finding is a <testcase>: open and at or above --fail-on →
<failure> carrying the because, the questions and the safeguards (missing ones marked); open
below --fail-on → passed, with the same text in <system-out> (dashboards count it as passed, as
the exit code does, and still show it); accepted → <skipped> with the reason; covered → passed.
A file without findings gets one passing testcase so dashboards count it; an invalid file is
one testcase with an <error>. Built with xml.etree (no dependency needed).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from checker.commands.lint.results import FileResult, LintSummary
from checker.core.findings import Finding
from checker.core.printable import visible
from checker.reporters.lint.common import position, status_note

PASS_NAME = "点検（該当なし）"


def _failure_text(finding: Finding) -> str:
    loc = finding.location
    lines = [f"箇所: {loc.path or '案件全体'}（{loc.line} 行 {loc.column} 列）", f"理由: {finding.because}",
             f"問われる見込み: {finding.likelihood_label}"]
    if finding.note:
        lines.append(f"注意: {finding.note}")
    lines.append("想定される質問:")
    lines.extend(f"  ・{q}" for q in finding.questions)
    lines.append("安全管理措置:")
    lines.extend(f"  [{'済' if s.declared else '未'}] {s.text}（{s.id}）" for s in finding.safeguards)
    return "\n".join(lines)


def part(result: FileResult) -> ET.Element:
    """One file's <testsuite>."""
    suite = ET.Element("testsuite", name=result.path, file=result.path)
    failures = errors = skipped = 0
    for problem in result.problems:
        line, col = position(problem)
        case = ET.SubElement(suite, "testcase", name="案件ファイルの読込", classname=result.path,
                             file=result.path, line=str(line))
        error = ET.SubElement(case, "error", message=problem.message, type="InputError")
        error.text = f"{result.path}:{line}:{col}: {problem.message}" + (f"\n→ {problem.hint}" if problem.hint else "")
        errors += 1
    for finding in result.findings:
        case = ET.SubElement(suite, "testcase", name=f"{finding.rule_id} {finding.title}",
                             classname=result.path, file=result.path, line=str(finding.location.line))
        if finding.status == "open":
            failure = ET.SubElement(case, "failure", message=f"{finding.rule_id} {finding.title}",
                                    type=finding.residual_severity)
            failure.text = _failure_text(finding)
            failures += 1
        elif finding.status == "accepted":
            ET.SubElement(case, "skipped", message=status_note(finding))
            skipped += 1
    if result.report is not None and not result.findings:
        ET.SubElement(suite, "testcase", name=PASS_NAME, classname=result.path, file=result.path)
    for element in suite.iter():  # control characters are not allowed in XML 1.0 and would act on a log
        element.text = visible(element.text) if element.text else element.text
        for key, value in element.attrib.items():
            element.set(key, visible(value))
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    return suite


def _below_fail_on(suite: ET.Element, summary: LintSummary) -> None:
    """Open findings that do not fail the run (--fail-on) pass, their text kept in <system-out>."""
    for case in suite.iter("testcase"):
        failure = case.find("failure")
        if failure is None or summary.fails(failure.get("type", "high")):
            continue
        case.remove(failure)
        out = ET.SubElement(case, "system-out")
        out.text = (f"未対応（重要度 {failure.get('type')}。--fail-on {summary.fail_on} のため失敗にしません）\n"
                    + (failure.text or ""))
    suite.set("failures", str(sum(case.find("failure") is not None for case in suite.iter("testcase"))))


def assemble(parts: Sequence[ET.Element], summary: LintSummary) -> str:
    root = ET.Element("testsuites", name="shingikai lint")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in parts:
        _below_fail_on(suite, summary)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
