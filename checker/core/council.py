"""Does this item need the council at all? (個人情報保護法第129条)

Since 2023-04-01 a municipality consults its council only where it finds the council's expert view
specially necessary (第129条); individual handlings are no longer routed to it by category. What
remains: the third-party review that the My Number rules require for a full assessment (全項目評価),
and the municipality's own criteria (new technology, 条例要配慮個人情報, large scale …), kept as data in
council.yaml beside its rules. Where no ground holds, the report is the internal pre-check for the
保護管理者 and the department, and says so.

The criteria's conditions run in the engine like rules (checker/core/engine.py, COUNCIL_UNIT); this
module turns the grounds that held into the screen every report opens with and the agenda shows.
"""
from __future__ import annotations

from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from checker.core.proposal import Proposal


class Catalogue(Protocol):
    """What the screen reads of the rule catalogue (not imported: the catalogue imports the report
    models, which include this screen's)."""

    council_criteria: dict[str, Any]
    sources: dict[str, Any]

ARTICLE_129 = ("個人情報保護法第129条: 地方公共団体の機関は、条例の定めにより、個人情報の適正な取扱いの確保に専門的な"
               "知見に基づく意見が特に必要と認めるときに限り、審議会等に諮問できる（令和5年4月1日から）。")
# Shown where no ground holds: who the report is for instead.
INTERNAL_NOTE = ("この報告は、保護管理者と担当課が自ら行う事前確認のための点検結果です（審議会に諮る案件ではありません）。"
                 "問われうる点は、法第66条などの義務を果たしているかの確認として使ってください。")
UNGROUNDED_CONSULTATION = ("諮問（procedure: consultation）として提出されていますが、第129条の根拠（法令による第三者点検・"
                           "自治体の基準）に当たりません。取扱いの類型だけを理由に諮問することは改正の趣旨に沿いません。"
                           "内部の事前確認として扱うか、専門的知見が特に必要な理由を council.yaml の基準として定めてください。")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class CouncilGround(Frozen):
    id: str
    ground: Literal["statutory", "municipal", "ordinance"]
    label: str
    explanation: str
    citations: list[str] = []


class CouncilNeed(Frozen):
    """The screen: whether the item needs the council's expert view, and on what ground."""

    needed: bool
    label: str                      # one line, e.g. 「審議会に諮る根拠あり（法令による第三者点検）」
    grounds: list[CouncilGround]
    note: str = ""                  # for none: the internal pre-check; for a bare consultation: why not
    basis: str = ARTICLE_129


def screen(p: Proposal, regime: str, matched: list[str], catalogue: Catalogue) -> CouncilNeed:
    """The council-need screen of one proposal from the criteria the engine found to hold."""
    if regime == "ordinance":
        articles = "・".join(a for a in p.legal_basis.ordinance_articles if a.strip())
        ground = CouncilGround(
            id="former-ordinance", ground="ordinance", label="旧条例の規定による諮問・報告（当時の手続）",
            explanation=("令和5年3月31日までの個人情報保護条例の下の案件として読んでいます。当時は条例が審議会への諮問・報告を"
                         "求めていました" + (f"（{articles}）" if articles else "") + "。現行法では、この手続の前提は成り立ちません。"))
        return CouncilNeed(needed=True, label=ground.label, grounds=[ground], basis="")
    grounds = []
    for cid in matched:
        c = catalogue.council_criteria[cid]
        citations = []
        for x in c.precedents:
            source = catalogue.sources.get(x.source)
            edition = f"〔{source.edition}〕" if source and source.edition else ""
            citations.append(f"{source.title if source else x.source}{edition} {x.item}")
        grounds.append(CouncilGround(id=c.id, ground=c.ground, label=c.label, explanation=c.explanation,
                                     citations=citations))
    grounds.sort(key=lambda g: (g.ground != "statutory", g.id))
    if not grounds:
        note = INTERNAL_NOTE + (UNGROUNDED_CONSULTATION if p.procedure == "consultation" else "")
        return CouncilNeed(needed=False, label="審議会への諮問は不要（第129条の根拠に当たらない）: 内部の事前確認", grounds=[],
                           note=note)
    kind = "法令による第三者点検" if grounds[0].ground == "statutory" else "自治体の基準"
    return CouncilNeed(needed=True, label=f"審議会に諮る根拠あり（{kind}）: " + "、".join(g.label for g in grounds),
                       grounds=grounds)
