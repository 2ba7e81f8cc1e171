"""The agenda sheet as Markdown (jinja2 template agenda.md.j2)."""
from __future__ import annotations

from checker.commands.agenda import Agenda
from checker.reporters.agenda.common import template


def render(agenda: Agenda) -> str:
    return template("agenda.md.j2", agenda, autoescape=False)
