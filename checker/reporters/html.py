"""HTML: one self-contained, printable page (A4) per run; autoescaped jinja2 template report.html.j2."""
from __future__ import annotations

from ..findings import Report
from ..templating import environment
from .view import context


def render_many(reports: list[Report]) -> str:
    """Several proposals in one document, each starting on a new printed page."""
    template = environment(autoescape=True).get_template("report.html.j2")
    return template.render(reports=reports, contexts=[context(r) for r in reports])


def render(report: Report) -> str:
    return render_many([report])
