"""What a proposal states: placeholders, and whether each safeguard area is stated.

Councils ask most about what a proposal leaves out, so "not stated" must be a fact the rules can
match, not the absence of one. An area (rules/areas.yaml) names the proposal fields that state it;
the area is
- `stated` when one of those fields was written in the file with a real value,
- `not_applicable` when the proposal says so under `not_applicable:` with a reason,
- `unstated` otherwise.
A value left at its default, an empty text or list, `unknown`, or a placeholder such as ○○, 未定
or TBD (the list in rules/placeholders.yaml, checker/core/placeholders.py) counts as unstated: an
unedited scaffold states nothing.
"""
from __future__ import annotations

import re
import typing
import unicodedata
from typing import Any, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field

from checker.core.placeholders import is_placeholder

UNKNOWN_VALUES = {"unknown"}

State = Literal["stated", "not_applicable", "unstated"]


def says(text: str | None) -> bool:
    """A text that states something (not empty, not a placeholder)."""
    return bool(text) and not is_placeholder(str(text))


# What makes a description of a measure concrete: a number (how often, how many, how long) or
# several of the mechanisms a reviewer can check. "規程に基づき適切に管理する" has neither.
_CONCRETE_WORDS = ("年", "月", "週", "毎日", "回", "名", "人", "課長", "係長", "責任者", "担当者", "ログ", "記録",
                   "暗号", "パスワード", "認証", "生体", "権限", "ID", "施錠", "入退室", "承認", "研修", "点検", "監査",
                   "消去", "削除", "廃棄", "溶解", "証明", "照合", "複数", "二重", "端末", "LGWAN", "閉域", "専用線",
                   "マスキング", "誓約", "特記事項", "立入", "報告", "本人確認", "番号法", "第19条")
_DIGIT = re.compile(r"[0-9]")


def is_generic(text: str | None) -> bool:
    """Whether a described measure is too general to check: nothing stated, or no number and fewer
    than two concrete mechanisms (see _CONCRETE_WORDS)."""
    if not says(text):
        return True
    norm = unicodedata.normalize("NFKC", str(text))
    if _DIGIT.search(norm):
        return False
    return sum(1 for word in _CONCRETE_WORDS if word in norm) < 2


class Area(BaseModel):
    """One safeguard area a proposal may have to state (rules/areas.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1, description="報告に出す名前")
    fields: list[str] = Field(min_length=1, description="この事項を述べる案件の項目（例: access_control, vendors[].selection）")


def _value_states(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return True
    if isinstance(value, str):
        return value not in UNKNOWN_VALUES and says(value)
    if isinstance(value, BaseModel):
        return any(_value_states(getattr(value, name)) for name in value.model_fields_set)
    if isinstance(value, dict):
        return any(_value_states(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_value_states(v) for v in value)
    return True


def _split(path: str) -> list[str]:
    return [part for part in path.replace("[]", ".[]").split(".") if part]


def field_states(model: BaseModel, path: str) -> bool:
    """Whether the field at `path` was written with a real value (`[]` = any element of a list)."""
    return _walk(model, _split(path))


def _walk(value: Any, parts: list[str]) -> bool:
    if not parts:
        return _value_states(value)
    head, rest = parts[0], parts[1:]
    if head == "[]":
        return isinstance(value, list) and any(_walk(v, rest) for v in value)
    if not isinstance(value, BaseModel) or head not in value.model_fields_set:
        return False   # not written in the file: a default says nothing
    return _walk(getattr(value, head), rest)


def path_exists(model: type[BaseModel], path: str) -> bool:
    """Whether `path` names a field of the schema (checked when rules/areas.yaml is loaded)."""
    current: Any = model
    for part in _split(path):
        if part == "[]":
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return False
        current = _inner_model(current.model_fields[part].annotation)
    return True


def _inner_model(annotation: Any) -> Any:
    """list[X] / X | None / X | Y -> the first pydantic model inside, else the annotation."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        inner = _inner_model(arg)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return annotation


def area_state(proposal: BaseModel, area: Area, not_applicable: dict[str, str]) -> State:
    if any(field_states(proposal, f) for f in area.fields):
        return "stated"
    if says(not_applicable.get(area.id)):
        return "not_applicable"
    return "unstated"


def coverage(proposal: Any, areas: Iterable[Area]) -> list[tuple[Area, State]]:
    """Every area with its state for one proposal, in the order of rules/areas.yaml."""
    not_applicable = dict(getattr(proposal, "not_applicable", {}) or {})
    return [(area, area_state(proposal, area, not_applicable)) for area in areas]
