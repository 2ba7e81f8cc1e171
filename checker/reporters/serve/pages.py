"""What the workbench shows: its one page (jinja2, autoescaped) and a report as plain data for the live panel.

The live panel reuses the printed report's view model (reporters/report/view.py), so the browser's
"most likely questions first, with what to write" is the same list as page 1 of the HTML report.
The browser puts these values into the page as text (textContent), never as markup.
"""
from __future__ import annotations

from typing import Any

from checker.core.findings import Report
from checker.reporters.report.view import likely_rows
from checker.reporters.templating import environment


def page(token: str, kinds: list[tuple[str, str]], limits: dict[str, int], outcomes: dict[str, str],
         deferral_reasons: dict[str, str]) -> str:
    return environment(True).get_template("serve.html.j2").render(
        token=token, kinds=kinds, limits=limits, outcomes=list(outcomes.items()),
        deferral_reasons=list(deferral_reasons.items()))


def live_report(report: Report) -> dict[str, Any]:
    """The report panel's content: procedure and predicted outcome, then the likely questions, then counts."""
    p, s, a = report.proposal, report.summary, report.assessment
    return {
        "title": p.title,
        "procedure": p.procedure_label,
        "kinds": p.kind_labels,
        "risk": s.risk, "risk_label": s.risk_label,
        "open": s.open, "covered": s.covered, "accepted": s.accepted,
        "outcome": a.label if a else "",
        "minutes": a.estimated_minutes if a else 0,
        "reasons": list(a.reasons) if a else [],
        "likely": [{"label": r.label, "likelihood": r.likelihood_label, "question": r.question,
                    "write": r.write, "rules": r.rules} for r in likely_rows(report)],
        "notices": list(report.notices),
    }
