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
from collections.abc import Iterator, Sequence
from typing import NamedTuple

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


def _suite(result: FileResult) -> ET.Element:
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


class Part(NamedTuple):
    """One file's suite, with what the totals need before the suites are written (pieces.py)."""

    tests: int
    errors: int
    skipped: int
    failure_types: tuple[str, ...]   # the severities of its failures, before --fail-on
    suite: ET.Element


def part(result: FileResult) -> Part:
    suite = _suite(result)
    types = tuple(failure.get("type", "high") for failure in suite.iter("failure"))
    return Part(int(suite.get("tests", "0")), int(suite.get("errors", "0")), int(suite.get("skipped", "0")),
                types, suite)


def assemble(parts: Sequence[Part], summary: LintSummary) -> Iterator[str]:
    """The document, one suite at a time: the text ET.indent and ET.tostring give for the whole tree."""
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for p in parts:  # one pass for the totals, one to write: the parts wait on disk (spool.py)
        totals["tests"] += p.tests
        totals["failures"] += sum(summary.fails(t) for t in p.failure_types)
        totals["errors"] += p.errors
        totals["skipped"] += p.skipped
    root = ET.Element("testsuites", name="shingikai lint")
    for key, value in totals.items():
        root.set(key, str(value))
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    if not parts:
        yield ET.tostring(root, encoding="unicode") + "\n"
        return
    root.text = "\n  "
    ET.SubElement(root, "suites")
    head, _, tail = ET.tostring(root, encoding="unicode").partition("<suites />")
    yield head
    for n, file_part in enumerate(parts, 1):
        suite = file_part.suite
        _below_fail_on(suite, summary)
        ET.indent(suite, level=1)
        suite.tail = "\n" if n == len(parts) else "\n  "
        yield ET.tostring(suite, encoding="unicode")
    yield tail + "\n"
