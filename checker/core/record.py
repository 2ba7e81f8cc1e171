"""A council's own record: what it asked about each item of its meetings (the input of
`shingikai rules calibrate --records`, written and extended by `shingikai record`).

One YAML file per council (schema/record.schema.json is generated from these models). Per item:
the proposal file it was deliberated on (relative to the record file), the findings the council
raised and those it did not (a rule id, or a topic code), the questions no finding predicted (free
text and a topic), the outcome and the minutes spent. What was raised is counted per topic, as the
seed record (tests/seeds/gold.yaml) counts it: a finding counts as raised when the council raised
it or its topic.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checker.core.errors import InputError, Problem
from checker.core.loading import load_yaml

# What a council decided on an item, as a secretariat records it (the CLI's --outcome and the
# workbench's record tab offer these; tests/test_records.py checks they agree).
RECORD_OUTCOMES = {"approved": "承認", "approved_with_conditions": "条件付き承認", "deferred": "継続審議",
                   "noted": "報告を了承"}
RecordOutcome = Literal["approved", "approved_with_conditions", "deferred", "noted"]
# How a recorded outcome reads as one of the model's three (a deferral for lack of time is not judged).
JUDGED = {"approved": "approved", "noted": "approved", "approved_with_conditions": "approved_with_conditions"}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Unpredicted(Strict):
    question: str = Field(min_length=1, description="審議会の質問（要旨）")
    topic: str = Field(min_length=1, description="その質問の論点（rules/topics.yaml のコード）")


class RecordItem(Strict):
    proposal: str = Field(min_length=1, description="審議した案件ファイル（記録ファイルのフォルダからの相対パス）")
    raised: list[str] = Field(default_factory=list, description="審議会が取り上げた指摘（ルール ID）または論点（コード）")
    not_raised: list[str] = Field(default_factory=list, description="報告にあったが審議会が取り上げなかった指摘（ルール ID）")
    unpredicted: list[Unpredicted] = Field(default_factory=list, description="どの指摘も予測しなかった質問")
    outcome: RecordOutcome | None = Field(None, description="結果（approved / approved_with_conditions / deferred / noted）")
    deferral_reason: Literal["time", "material"] | None = Field(None, description="継続審議の理由（時間切れ・資料不足）")
    minutes: int | None = Field(None, ge=0, description="審議に使った時間（分）")

    def judged_outcome(self) -> str | None:
        """The outcome as the model predicts it; None when it says nothing about the item (time ran out)."""
        if self.outcome == "deferred":
            return "deferral_risk" if self.deferral_reason != "time" else None
        return JUDGED.get(self.outcome or "")


class Meeting(Strict):
    meeting: str = Field(min_length=1, description="会議の名前（例: 令和7年度第1回）")
    date: dt.date | None = Field(None, description="開催日")
    items: list[RecordItem] = Field(default_factory=list)


class Record(Strict):
    council: str = Field(min_length=1, description="審議会の名前")
    meetings: list[Meeting] = Field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(len(m.items) for m in self.meetings)


def record_schema() -> dict:
    return Record.model_json_schema()


def load_record(path: str | Path) -> Record:
    """A record file, or an InputError naming its file, line and what to fix."""
    loaded = load_yaml(path)
    if not isinstance(loaded.data, dict):
        raise InputError(str(path), [Problem("記録ファイルの最上位が「キー: 値」のマッピングではありません。",
                                             "council: と meetings: を持つ YAML にしてください。", 1, 1)])
    try:
        return Record.model_validate(loaded.data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            pos = loaded.position(loc)
            where = ".".join(str(p) for p in loc)
            problems.append(Problem(f"{where}: {error['msg']}",
                                    "記録ファイルの書き方は schema/record.schema.json を見てください。", pos.line, pos.column))
        raise InputError(str(path), problems) from None


def record_files(folder: Path) -> list[Path]:
    """The record files of a folder (*.yaml / *.yml, hidden ones skipped), sorted by path."""
    return sorted(p for p in folder.rglob("*.y*ml") if p.suffix in (".yaml", ".yml")
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))
