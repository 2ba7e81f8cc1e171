"""The draft result of a PIA third-party review (点検結果・答申案) as one printable HTML page (A4).
Word opens it as a document, so it doubles as the word-processor format (no extra library needed)."""
from __future__ import annotations

from collections.abc import Sequence

from checker.core.findings import Report
from checker.reporters.report.draft import draft, kana
from checker.reporters.report.draft_md import refer
from checker.reporters.templating import environment


def render(reports: Sequence[Report]) -> str:
    env = environment(autoescape=True)
    return env.get_template("draft.html.j2").render(items=[(r, draft(r)) for r in reports], refer=refer, kana=kana)
