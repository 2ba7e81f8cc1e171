"""A complete example with every free-text value replaced by one placeholder form (issue 17)."""
from __future__ import annotations

import typing
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from checker.core.proposal import Proposal

from .conftest import ROOT

COMPLETE = sorted((ROOT / "proposals" / "examples").glob("complete-*.yaml"))
# Every form the issue names, written as a department would.
FORMS = ["未決定", "未定", "TBA", "TBD", "N/A", "要検討", "確認中", "調整中", "検討中", "xx", "XX", "＊＊＊", "○○",
         "××", "(仮)", "（仮）", "等", "ＴＢＡ", "【未定】", "？？"]
# Ids and references are checked against the catalogue, not read as text.
_NOT_TEXT = {"id", "safeguards", "related", "rule", "origin"}


def _text_annotation(annotation: Any) -> bool:
    """Whether a field holds free text (str, list[str], dict[str, str]), not an enum or a date."""
    if annotation is str:
        return True
    if isinstance(annotation, type) and issubclass(annotation, (Enum, BaseModel)):
        return False
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _text_annotation(args[0])
    if origin in (list, dict):
        return _text_annotation(args[-1])
    return False


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def fill(data: Any, model: type[BaseModel], form: str) -> Any:
    """The data with every free-text value of `model`'s fields replaced by `form` (counted in `fill.count`)."""
    if isinstance(data, list):
        return [fill(item, model, form) if isinstance(item, dict) else form for item in data]
    if not isinstance(data, dict):
        return data
    out = {}
    by_name = {(info.alias or name): info for name, info in model.model_fields.items()}
    for key, value in data.items():
        info = by_name.get(key)
        if info is None or key in _NOT_TEXT:
            out[key] = value
        elif _text_annotation(info.annotation) and value not in (None, "", [], {}):
            if isinstance(value, str):
                out[key] = form
            elif isinstance(value, list):
                out[key] = [form for _ in value]
            elif isinstance(value, dict):
                out[key] = {k: form for k in value}
        elif (inner := _model_of(info.annotation)) is not None:
            out[key] = fill(value, inner, form)
        else:
            out[key] = value
    return out


def placeholder_text(example: Path, form: str) -> str:
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    data["data_items"] = [{"name": v} if isinstance(v, str) else v for v in data.get("data_items", [])]
    return yaml.safe_dump(fill(data, Proposal, form), allow_unicode=True, sort_keys=False)


def occurrences(data: Any, form: str) -> int:
    """How many values of the data are exactly `form`."""
    if isinstance(data, dict):
        return sum(occurrences(v, form) for v in data.values())
    if isinstance(data, list):
        return sum(occurrences(v, form) for v in data)
    return int(data == form)
