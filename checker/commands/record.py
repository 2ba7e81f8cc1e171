"""`shingikai record`: add what the council asked about one item to the council's record file.

The proposal is checked with the same rules as the report the department saw, so the record can say
which findings the council raised and which it did not (every finding not named as raised). Naming a
rule id or a topic code that does not exist is an input error: a typo would silently count as
"never raised". The record (checker/core/record.py) is returned with its new text; the CLI writes it
through the safe output path and never onto the proposal file.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from checker.core.engine import Engine
from checker.core.errors import InputError, Problem
from checker.core.pipeline import check_file
from checker.core.record import Meeting, Record, RecordItem, RecordOutcome, Unpredicted, load_record

HEADER = """\
# 審議会の記録（`shingikai record` が追記する。コメントは保たれない）。書き方: schema/record.schema.json
# `shingikai rules calibrate --records このフォルダ -o 市のルール/calibration.yaml` で、この審議会向けの
# 「問われる見込み」・審議結果・審議時間の数値を作る。
"""


@dataclass(frozen=True)
class RecordUpdate:
    record: Record
    item: RecordItem
    meeting: str
    replaced: bool        # an item for the same proposal in the same meeting was replaced
    text: str             # the record file's new content


def _relative(proposal: Path, record_file: Path) -> str:
    return Path(os.path.relpath(proposal.resolve(), record_file.resolve().parent)).as_posix()


def _problem(message: str, hint: str) -> InputError:
    return InputError("shingikai record", [Problem(message, hint)])


def parse_unpredicted(values: list[str], topics: dict[str, str]) -> list[Unpredicted]:
    """`論点コード:質問` strings as recorded questions; an unknown topic is an input error."""
    out = []
    for value in values:
        topic, sep, question = value.partition(":")
        if not sep or not question.strip():
            raise _problem(f"--unpredicted「{value}」の形が正しくありません。",
                           "「論点コード:質問の要旨」の形で書いてください（例: retention_deletion:消去の確認方法は）。")
        if topic.strip() not in topics:
            raise _problem(f"--unpredicted の論点「{topic}」はありません。", f"論点コード: {', '.join(sorted(topics))}")
        out.append(Unpredicted(question=question.strip(), topic=topic.strip()))
    return out


def add_item(record_file: Path, proposal: Path, engine: Engine, *, meeting: str, date: dt.date | None = None,
             council: str | None = None, raised: list[str] = (), unpredicted: list[str] = (),  # type: ignore[assignment]
             outcome: RecordOutcome | None = None, deferral_reason: str | None = None,
             minutes: int | None = None) -> RecordUpdate:
    catalogue = engine.catalogue
    unknown = [code for code in raised if code not in catalogue.by_id and code not in catalogue.topics]
    if unknown:
        raise _problem(f"--raised の「{'、'.join(unknown)}」はルール ID でも論点コードでもありません。",
                       "報告に示されたルール ID（例: TRN-001）か論点コード（`shingikai rules list` の論点）を書いてください。")
    report = check_file(proposal, engine)
    raised_ids = {code for code in raised if code in catalogue.by_id}
    raised_topics = {code for code in raised if code in catalogue.topics}
    not_raised = [f.rule_id for f in report.findings
                  if not (set(f.rules) & raised_ids) and not ({f.topic, *f.also_topics} & raised_topics)]
    item = RecordItem(proposal=_relative(proposal, record_file), raised=list(dict.fromkeys(raised)),
                      not_raised=not_raised, unpredicted=parse_unpredicted(list(unpredicted), catalogue.topics),
                      outcome=outcome, deferral_reason=deferral_reason, minutes=minutes)  # type: ignore[arg-type]
    if record_file.exists():
        record = load_record(record_file)
    elif council:
        record = Record(council=council)
    else:
        raise _problem(f"記録ファイル {record_file} はまだありません。",
                       "新しく作るときは --council に審議会の名前を指定してください。")
    return _with_item(record, record_file, meeting, date, item)


def _with_item(record: Record, record_file: Path, meeting: str, date: dt.date | None, item: RecordItem) -> RecordUpdate:
    meetings = [m.model_copy(deep=True) for m in record.meetings]
    target = next((m for m in meetings if m.meeting == meeting), None)
    if target is None:
        target = Meeting(meeting=meeting, date=date)
        meetings.append(target)
    elif date is not None:
        target.date = date
    same = next((i for i, old in enumerate(target.items) if old.proposal == item.proposal), None)
    if same is None:
        target.items.append(item)
    else:
        target.items[same] = item
    updated = Record(council=record.council, meetings=meetings)
    return RecordUpdate(updated, item, meeting, same is not None, render(updated))


def render(record: Record) -> str:
    data = record.model_dump(mode="json", exclude_none=True)
    for m in data["meetings"]:
        for i in m["items"]:
            for key in ("raised", "not_raised", "unpredicted"):
                if not i.get(key):
                    i.pop(key, None)
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=120)


def seed_records(seeds: Path, gold: Path, folder: Path, source_titles: dict[str, str]) -> dict[Path, str]:
    """The seed minutes as record files, one per council (generated, never hand-copied): what
    tests/seeds/gold.yaml says each council raised, its outcome and minutes, for the proposals in
    `seeds`, written as `shingikai record` would into `folder`. Returns {record file: text}."""
    from checker.commands.rules.calibrate import seed_entries
    records: dict[str, Record] = {}
    for path, data, entry, minutes_file in seed_entries(seeds, gold):
        title = source_titles.get(minutes_file, minutes_file)
        council, _, meeting = title.partition(" ")
        record = records.setdefault(council, Record(council=council))
        target = next((m for m in record.meetings if m.meeting == (meeting or title)), None)
        if target is None:
            target = Meeting(meeting=meeting or title, date=data.get("meeting_date"))
            record.meetings.append(target)
        target.items.append(RecordItem(
            proposal=Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix(),
            raised=list(dict.fromkeys(t["topic"] for t in entry.get("topics") or [])),
            outcome=entry.get("outcome"), deferral_reason=entry.get("deferral_reason"),
            minutes=entry.get("minutes_share")))
    # one file per council, named by its municipality (the council's name up to 情報公開 / 個人情報)
    return {folder / f"{name.split('情報公開')[0].split('個人情報')[0]}.yaml": render(record)
            for name, record in records.items()}
