"""The draft result of a PIA third-party review (点検結果・答申案) in Markdown, for editing in any word
processor; reports of other kinds of proposal say that there is no review to draft."""
from __future__ import annotations

import re
from collections.abc import Sequence

from checker.core.findings import Report
from checker.reporters.report.draft import Item, draft, kana
from checker.reporters.report.md import md_escape
from checker.reporters.templating import environment

NOT_A_REVIEW = "（{title}: 特定個人情報保護評価の第三者点検（kinds: pia_review）の案件ではないため、点検結果の案はありません。）\n"


def refer(item: Item) -> str:
    """How section 3 points to a numbered item of 5 or 6."""
    verb = "修正を要する" if item.ref.startswith("5") else "意見を付す"
    return f"この点について、後記{item.ref}のとおり{verb}。"


def _one(report: Report) -> str:
    d = draft(report)
    if d is None:
        return NOT_A_REVIEW.format(title=md_escape(report.proposal.title))
    env = environment(autoescape=False)
    env.filters.setdefault("md", md_escape)
    text = env.get_template("draft.md.j2").render(draft=d, refer=refer, kana=kana)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render(reports: Sequence[Report]) -> str:
    return "\n\n---\n\n".join(_one(r) for r in reports)
