"""HTML: one self-contained, printable page (A4) per run; autoescaped jinja2 template report.html.j2."""
from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from checker.core.findings import Report
from checker.reporters.report.view import context
from checker.reporters.templating import environment


def css_string(value: object) -> Markup:
    """A quoted CSS string in which every character but ASCII letters and digits is a hex escape,
    so that text from a proposal can stand in the stylesheet (the printed page header) harmlessly."""
    body = "".join(ch if ch.isascii() and ch.isalnum() else f"\\{ord(ch):06x}" for ch in str(value))
    return Markup(f'"{body}"')


def render(reports: Sequence[Report]) -> str:
    """Several proposals in one document, each starting on a new printed page."""
    env = environment(autoescape=True)
    env.filters.setdefault("css_string", css_string)
    template = env.get_template("report.html.j2")
    return template.render(reports=reports, contexts=[context(r) for r in reports])

