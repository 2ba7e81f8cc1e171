"""Markdown for pasting into documents and tickets (jinja2 template report.md.j2)."""
from __future__ import annotations

from ..findings import SEVERITY_LABELS, STATUS_LABELS, Report
from ..templating import environment


def render(report: Report) -> str:
    template = environment(autoescape=False).get_template("report.md.j2")
    return template.render(p=report.proposal, s=report.summary, findings=report.findings,
                           notices=report.notices, sev=SEVERITY_LABELS, status=STATUS_LABELS).strip() + "\n"


def render_many(reports: list[Report]) -> str:
    return "\n\n---\n\n".join(render(r) for r in reports)
