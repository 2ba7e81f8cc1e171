"""Which law a proposal is read under: the amended Act (today) or a repealed ordinance (history).

Since 2023-04-01 the Act on the Protection of Personal Information (Chapter 5) governs local
governments directly; the ordinances that made outsourcing, linkage or new processing a matter
for the council are gone. A proposal is therefore judged under the Act by default, and always
when its meeting is on or after that day or has no date. Only an item of an earlier meeting may be
re-read under the ordinance it was decided under: by its date, or by `regime: ordinance` (and an
old item may be re-read under today's law with `regime: act`).

Every rule says under which regimes it holds (Rule.regimes); the engine sees the chosen regime as
the `regime` fact, so a premise that only an ordinance had never reaches a current-law report.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from checker.core.proposal import Proposal, label

ACT_IN_FORCE = dt.date(2023, 4, 1)   # the amended Act applies to local governments from this day
ACT_DAY = "令和5年4月1日"              # the same day as people read it (office style: 和暦)
REGIMES = ("act", "ordinance")
# Shown beside a precedent from minutes of a meeting held before ACT_IN_FORCE.
FORMER_ORDINANCE = "旧条例下"


@dataclass(frozen=True)
class RegimeChoice:
    regime: str          # act | ordinance
    label: str           # the regime in Japanese
    reason: str          # why this regime, one line
    notice: str = ""     # a requested regime that could not be used, and why


def choose(p: Proposal) -> RegimeChoice:
    """The regime a proposal is judged under (see the module docstring)."""
    asked, date = p.regime, p.meeting_date
    if date is None or date >= ACT_IN_FORCE:
        why = ("開催日の記載がないため、現行法で判断します" if date is None
               else f"開催日が改正法の施行日（{ACT_DAY}）以後のため、現行法で判断します")
        notice = ""
        if asked == "ordinance":
            notice = (f"regime: ordinance は使えません。{why}（旧条例で読み直せるのは{ACT_DAY}より前の"
                      "開催日の案件だけです。過去の案件なら meeting_date を書いてください）。")
        return RegimeChoice("act", label("Regime", "act"), why + "。", notice)
    if asked == "act":
        return RegimeChoice("act", label("Regime", "act"),
                            "開催日は旧条例の時期ですが、regime: act の指定により現行法で読み直します。")
    return RegimeChoice("ordinance", label("Regime", "ordinance"),
                        f"開催日が改正法の施行日（{ACT_DAY}）より前のため、当時の個人情報保護条例の下の案件として"
                        "読みます（手続の前提は現行法では成り立ちません）。")


def minutes_regime(meeting: dt.date | None) -> str:
    """The note a precedent from minutes carries: 旧条例下 for meetings before the Act applied."""
    return FORMER_ORDINANCE if meeting is not None and meeting < ACT_IN_FORCE else ""
