"""The agenda sheet as one printable HTML page (autoescaped jinja2 template agenda.html.j2)."""
from __future__ import annotations

from checker.commands.agenda import Agenda
from checker.reporters.agenda.common import template


def render(agenda: Agenda) -> str:
    return template("agenda.html.j2", agenda, autoescape=True)
