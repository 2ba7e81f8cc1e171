"""A resubmission's diff as Markdown (jinja2 template diff.md.j2)."""
from __future__ import annotations

from checker.commands.diff import Diff
from checker.core.findings import SEVERITY_LABELS
from checker.reporters.diff.common import NO_CHANGE, SECTIONS, change_text, value_text
from checker.reporters.templating import environment


def render(diff: Diff) -> str:
    template = environment(autoescape=False).get_template("diff.md.j2")
    return template.render(d=diff, sections=SECTIONS, sev=SEVERITY_LABELS, change_text=change_text,
                           value_text=value_text, no_change=NO_CHANGE).strip() + "\n"
