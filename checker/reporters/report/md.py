"""Markdown for pasting into documents and tickets (jinja2 template report.md.j2).

Same content as the HTML report (both take their data from reporters/view.py). Text written by
the department passes through the `md` filter, so it can neither inject HTML nor break a table.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from checker.core.findings import Report
from checker.reporters.report.view import context
from checker.reporters.templating import environment

_MD_SPECIAL = re.compile(r"([\\`*\[\]|])")


def md_escape(value: object) -> str:
    """Entities for & < >, backslashes for Markdown syntax, one line per table cell."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = " ".join(text.splitlines())
    return _MD_SPECIAL.sub(r"\\\1", text)


def _one(report: Report) -> str:
    env = environment(autoescape=False)
    env.filters.setdefault("md", md_escape)
    text = env.get_template("report.md.j2").render(**context(report))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render(reports: Sequence[Report]) -> str:
    return "\n\n---\n\n".join(_one(r) for r in reports)
