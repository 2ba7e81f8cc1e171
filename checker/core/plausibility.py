"""Plausibility: dates in order and counts a municipality can have, checked after the schema.

A proposal that contradicts itself (a comment period that ends before it starts, a third-party
review before the comment period closes, more persons than Japan has, a meeting before local
self-government existed or years ahead) cannot be checked honestly: its facts would count a
negative period as held. That is an input error (exit 2) at the value's line and column, with what
to do. What is only unusual (more persons than the most populous city has) is a notice.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from checker.core.errors import InputError, Problem
from checker.core.loading import LoadedYaml
from checker.core.proposal import Proposal

# Japan's population is about 124 million (総務省統計局 人口推計, 2024); no count of persons in one
# proposal can exceed it. The most populous city has about 3.8 million residents: a count above
# that is for a prefecture or the whole country, which a municipal proposal should say.
JAPAN_POPULATION = 130_000_000
LARGEST_CITY = 4_000_000
# Staff who handle the data: a municipality's whole workforce is at most tens of thousands.
UNUSUAL_HANDLERS = 100_000
# The Local Autonomy Act took effect on 1947-05-03: no municipal council met before it.
EARLIEST_DATE = dt.date(1947, 5, 3)
YEARS_AHEAD = 3           # a date later than this is a typo (2999, 2205 for 2025)
UNUSUAL_YEARS_AHEAD = 1   # a meeting more than a year ahead is unusual, not wrong


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _persons(p: Proposal) -> Iterator[tuple[tuple[Any, ...], int, str]]:
    """(path, count, what) for every count of persons the proposal states."""
    for i, s in enumerate(p.subjects):
        if s.count is not None:
            yield ("subjects", i, "count"), s.count, "対象者数"
    if p.my_number and p.my_number.persons is not None:
        yield ("my_number", "persons"), p.my_number.persons, "特定個人情報ファイルの対象人数"
    for i, f in enumerate(p.pia.files if p.pia else []):
        if f.persons is not None:
            yield ("pia", "files", i, "persons"), f.persons, "対象となる本人の数"


def _handlers(p: Proposal) -> Iterator[tuple[tuple[Any, ...], int, str]]:
    if p.my_number and p.my_number.handlers is not None:
        yield ("my_number", "handlers"), p.my_number.handlers, "取扱者数"
    for i, v in enumerate(p.vendors):
        if v.handlers is not None:
            yield ("vendors", i, "handlers"), v.handlers, "委託先で個人情報を扱う人数"


def _dates(p: Proposal) -> Iterator[tuple[tuple[Any, ...], dt.date, str]]:
    """Dates of events (not deadlines such as accepted_risks[].until, which may lie far ahead)."""
    if p.meeting_date:
        yield ("meeting_date",), p.meeting_date, "審議会の開催日"
    pc = p.pia.public_comment if p.pia else None
    if pc and pc.start:
        yield ("pia", "public_comment", "start"), pc.start, "意見募集の開始日"
    if pc and pc.end:
        yield ("pia", "public_comment", "end"), pc.end, "意見募集の終了日"
    if p.pia and p.pia.last_published:
        yield ("pia", "last_published"), p.pia.last_published, "前回の評価書の公表日"
    for i, a in enumerate(p.approvals):
        if a.date:
            yield ("approvals", i, "date"), a.date, "承認の日付"


def check(p: Proposal, loaded: LoadedYaml, path: str, today: dt.date | None = None) -> list[str]:
    """Raise an InputError for every contradiction at once; return notices for what is unusual."""
    today = today or dt.date.today()
    problems: list[Problem] = []
    notices: list[str] = []

    def at(where: tuple[Any, ...]) -> tuple[int, int]:
        pos = loaded.values.get(where) or loaded.position(where)
        return pos.line, pos.column

    def error(where: tuple[Any, ...], message: str, hint: str) -> None:
        problems.append(Problem(message, hint, *at(where)))

    def notice(where: tuple[Any, ...], message: str) -> None:
        line, column = at(where)
        notices.append(f"{path}:{line}:{column}: お知らせ: {message}")

    latest = _years_after(today, YEARS_AHEAD)
    out_of_range: set[tuple[Any, ...]] = set()   # their order against other dates says nothing more
    for where, day, what in _dates(p):
        if not EARLIEST_DATE <= day <= latest:
            out_of_range.add(where)
        if day < EARLIEST_DATE:
            error(where, f"{what}（{day.isoformat()}）が地方自治法の施行（1947-05-03）より前です。",
                  "年を確かめてください（和暦から西暦への換算の誤りが多い）。")
        elif day > latest:
            error(where, f"{what}（{day.isoformat()}）が今日から{YEARS_AHEAD}年より先です。",
                  "年を確かめてください（例: 2205 → 2025）。")
    if p.meeting_date and _years_after(today, UNUSUAL_YEARS_AHEAD) < p.meeting_date <= latest:
        notice(("meeting_date",), f"審議会の開催日（{p.meeting_date.isoformat()}）が1年以上先です。年を確かめてください。")

    pc = p.pia.public_comment if p.pia else None
    meeting = None if ("meeting_date",) in out_of_range else p.meeting_date
    start = None if ("pia", "public_comment", "start") in out_of_range else (pc.start if pc else None)
    end = None if ("pia", "public_comment", "end") in out_of_range else (pc.end if pc else None)
    published = None if ("pia", "last_published") in out_of_range else (p.pia.last_published if p.pia else None)
    if pc and start and end:
        if end < start:
            error(("pia", "public_comment", "end"),
                  f"意見募集の終了日（{end.isoformat()}）が開始日（{start.isoformat()}）より前です"
                  f"（期間{(end - start).days + 1}日）。",
                  "開始日と終了日を確かめてください（入れ替わっていないか、年・月の誤りがないか）。")
        elif pc.days is not None and abs(pc.days - ((end - start).days + 1)) > 1:
            notice(("pia", "public_comment", "days"),
                   f"意見募集の日数（{pc.days}日）が開始日から終了日までの日数（{(end - start).days + 1}日）と"
                   "合いません。開始日と終了日から数えた日数で点検します。")
    # A review held before the comment period ends is not a contradiction of the file but a flaw of the
    # procedure: it is the 適合性 finding PIA-020 (規則第7条第4項), not an input error.
    if published:
        for day, what in ((start, "今回の意見募集の開始日"), (meeting, "審議会の開催日")):
            if day is not None and published > day:
                error(("pia", "last_published"),
                      f"前回の評価書の公表日（{published.isoformat()}）が{what}（{day.isoformat()}）より後です。",
                      "前回の評価書は今回の評価より前に公表されたものです。日付を確かめてください。")
                break

    for where, count, what in _persons(p):
        if count > JAPAN_POPULATION:
            error(where, f"{what}（{count:,}人）が日本の人口（約1億2千万人）を超えています。",
                  "桁を確かめてください（件数・通数ではなく人数を書きます）。")
        elif count > LARGEST_CITY:
            notice(where, f"{what}（{count:,}人）は、最も人口の多い市（約380万人）より多い人数です。"
                          "都道府県・全国のデータを扱う場合はその旨を書き、そうでなければ桁を確かめてください。")
    for where, count, what in _handlers(p):
        if count > JAPAN_POPULATION:
            error(where, f"{what}（{count:,}人）が日本の人口（約1億2千万人）を超えています。", "桁を確かめてください。")
        elif count > UNUSUAL_HANDLERS:
            notice(where, f"{what}（{count:,}人）は、自治体の職員・委託先の従事者の数としては多すぎます。桁を確かめてください。")

    if problems:
        problems.sort(key=lambda x: (x.line or 0, x.column or 0))
        raise InputError(path, problems)
    return notices
