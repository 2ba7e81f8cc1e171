"""Validate loaded YAML against the Proposal schema, with Japanese messages at file:line:col."""
from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
import typing
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from checker.core import plausibility
from checker.core.errors import InputError, Problem
from checker.core.ids import did_you_mean, normalise_id
from checker.core.loading import LoadedYaml, Position, load_yaml
from checker.core.proposal import Proposal, label
from checker.core.renames import RENAMED_KEYS, upgrade

if TYPE_CHECKING:
    from checker.core.catalogue import Catalogue

_TYPE_NAMES = {
    "string_type": "文字列", "int_type": "整数", "int_parsing": "整数", "int_from_float": "整数",
    "bool_type": "true か false", "bool_parsing": "true か false", "date_type": "日付（YYYY-MM-DD）",
    "date_parsing": "日付（YYYY-MM-DD）", "date_from_datetime_parsing": "日付（YYYY-MM-DD）",
    "list_type": "リスト（- で始まる行）", "dict_type": "マッピング（キー: 値）",
    "model_type": "マッピング（キー: 値）", "model_attributes_type": "マッピング（キー: 値）",
    "float_type": "数値", "float_parsing": "数値",
}


_EMPTY_HINTS = {
    "not_applicable": "当てはまらない理由を書いてください（例: logging: 紙の台帳だけで扱い、システムを使わないため）。"
                      "当てはまる事項なら not_applicable から削除し、その項目を書いてください。",
}


@dataclass
class LoadedProposal:
    """A valid proposal with the positions of its YAML nodes."""

    path: str
    proposal: Proposal
    yaml: LoadedYaml
    notices: list[str] = field(default_factory=list)


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model that owns the last key of `loc` (for 'did you mean')."""
    model: Any = Proposal
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = model.model_fields if isinstance(model, type) and issubclass(model, BaseModel) else {}
        info = next((f for n, f in fields.items() if part in (n, f.alias)), None)
        if info is None:
            return None
        model = _unwrap(info.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """list[X] -> X, X | None -> X."""
    for arg in typing.get_args(annotation) or ():
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = _unwrap(arg)
        if inner is not None:
            return inner
    return annotation if isinstance(annotation, type) else None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def _data_path(loc: tuple[Any, ...], loaded: LoadedYaml) -> tuple[Any, ...]:
    """Drop pydantic's union/validator markers so the loc becomes a path into the YAML data."""
    path: list[Any] = []
    for part in loc:
        candidate = tuple(path) + (part,)
        if candidate in loaded.values or candidate in loaded.keys:
            path.append(part)
    return tuple(path)


def _enum_choices(expected: str) -> list[str]:
    return [c.strip(" '\"") for c in expected.replace(" or ", ",").split(",") if c.strip(" '\"")]


def _enum_at(loc: tuple[Any, ...]) -> type[Enum] | None:
    """The enum a field at `loc` takes its values from (list positions and union markers skipped)."""
    model: Any = Proposal
    annotation: Any = None
    for part in loc:
        if isinstance(part, int) or not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        info = next((f for n, f in model.model_fields.items() if part in (n, f.alias)), None)
        if info is None:
            continue   # a pydantic marker such as `bool` in a union
        annotation = info.annotation
        model = _unwrap(annotation)
    return _find_enum(annotation)


def _find_enum(annotation: Any) -> type[Enum] | None:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation
    for arg in typing.get_args(annotation) or ():
        found = _find_enum(arg)
        if found is not None:
            return found
    return None


def _allowed_values(enum: type[Enum] | None, choices: list[str]) -> str:
    """「使える値: new（新規の評価）、…」 with the Japanese label of each value."""
    values = [m.value for m in enum] if enum else choices
    named = [f"{v}（{label(enum.__name__, v)}）" if enum and label(enum.__name__, v) != v else v for v in values]
    return "使える値: " + "、".join(named)


def _closest_value(value: Any, enum: type[Enum] | None, choices: list[str]) -> str | None:
    """The value meant: the one whose Japanese label was written, else a close spelling."""
    text = str(value).strip()
    if enum is not None:
        by_label = {label(enum.__name__, m.value): m.value for m in enum}
        if text in by_label:
            return by_label[text]
        choices = [m.value for m in enum]
    close = difflib.get_close_matches(text, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def _problem_for(error: dict[str, Any], loaded: LoadedYaml) -> Problem:
    loc = tuple(error["loc"])
    path = _data_path(loc, loaded)
    kind = error["type"]
    # An unknown key is shown at the key; a bad value at the value itself.
    if kind == "extra_forbidden" or path not in loaded.values:
        pos = loaded.position(path) if path else loaded.values.get(())
    else:
        pos = loaded.values[path]
    where = dotted(path) or "（ファイル全体）"
    value = error.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        model = _model_at(loc)
        names = _field_names(model) if model else []
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.5)
        hint = f"「{close[0]}」の誤りではありませんか。" if close else ""
        if key in RENAMED_KEYS and key not in names:
            hint = RENAMED_KEYS[key]
        hint += f" 使えるキー: {', '.join(names)}" if names else ""
        message, hint = f"不明なキー「{key}」があります。", hint.strip()
    elif kind == "enum":
        enum = _enum_at(loc)
        choices = _enum_choices(error.get("ctx", {}).get("expected", ""))
        close = _closest_value(value, enum, choices)
        hint = f"「{close}」の誤りではありませんか。" if close else ""
        hint += " " + _allowed_values(enum, choices)
        message, hint = f"{where} の値「{value}」は使えません。", hint.strip()
    elif kind == "missing":
        message, hint = f"必須の項目「{loc[-1]}」がありません。", f"{dotted(loc)} を追加してください。"
        enum = _enum_at(loc)
        if enum is not None:
            hint += " " + _allowed_values(enum, [])
    elif kind == "string_too_short" or (value is None and kind in _TYPE_NAMES):
        # `key: ""` or `key:` with nothing after it
        message = f"{where} の{'理由' if path[:1] == ('not_applicable',) else '値'}が空です。"
        hint = _EMPTY_HINTS.get(str(path[0]) if path else "", "値を書いてください（使わない任意の項目なら、行ごと削除できます）。")
    elif kind in _TYPE_NAMES:
        message = f"{where} には{_TYPE_NAMES[kind]}を書いてください（現在の値: {_short(value)}）。"
        hint = "値の書き方を確認してください。"
        if kind in ("dict_type", "model_type", "model_attributes_type") and isinstance(value, list):
            hint = "リスト（-）ではなく「キー: 値」の形で書いてください。"
        elif kind == "list_type":
            hint = "各要素を「- 」で始まる行で並べてください。"
    elif kind == "string_too_short":
        message, hint = f"{where} が空です。", "内容を書いてください（不要なら項目ごと削除してください）。"
    elif kind == "too_short":
        message, hint = f"{where} が空です。", "少なくとも 1 つ書いてください。"
    elif kind in ("greater_than_equal", "greater_than"):
        message, hint = f"{where} は 0 以上の数にしてください（現在の値: {_short(value)}）。", ""
    elif kind == "string_pattern_mismatch":
        message, hint = f"{where} の値「{value}」は使えません。", "使える値: standard, negotiated"
    else:
        message, hint = f"{where}: {error.get('msg', '値が正しくありません')}", "値を確認してください。"
    hint = _japanese_typing_hint(kind, value, hint)
    if pos is None:
        return Problem(message, hint, 1, 1)
    return Problem(message, hint, pos.line, pos.column)


def _japanese_typing_hint(kind: str, value: Any, hint: str) -> str:
    """What a Japanese keyboard or YAML's own typing made of the value, and how to write it."""
    if kind == "string_type" and isinstance(value, (dt.date, dt.datetime)):
        text = value.isoformat()
        return f"YAML は引用符のない {text} を日付として読みます。文字列にするには引用符で囲んでください（例: \"{text}\"）。"
    if kind == "string_type" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"YAML は引用符のない {value} を数として読みます。文字列にするには引用符で囲んでください（例: \"{value}\"）。"
    if isinstance(value, str) and re.search(r"[:\-]\u3000", value):
        return "「-」や「:」の後に全角スペース（「　」）があります。半角スペースに置き換えてください。"
    if kind in ("int_parsing", "float_parsing") and isinstance(value, str) and value != _half_width(value):
        return f"数字は半角で書いてください（全角の「{value}」→ 半角の「{_half_width(value)}」。桁区切りのカンマや単位は付けません）。"
    return hint


def _half_width(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _normalise_digits(data: Any, errors: list[dict[str, Any]], loaded: LoadedYaml, path: str) -> bool:
    """Full-width digits in a number (`５０００`) mean only one thing: read them as half-width,
    with a notice. Anything else (`５千`, `１２，０００`) stays an error with the hint above."""
    changed = False
    for error in errors:
        value = error.get("input")
        if error["type"] != "int_parsing" or not isinstance(value, str):
            continue
        digits = _half_width(value).strip()
        if digits == value or not re.fullmatch(r"\d+", digits):
            continue
        where = _data_path(tuple(error["loc"]), loaded)
        try:
            parent = data
            for part in where[:-1]:
                parent = parent[part]
            if parent[where[-1]] != value:
                continue
            parent[where[-1]] = int(digits)
        except (IndexError, KeyError, TypeError):  # not a place in the file: leave it to the error
            continue
        pos = loaded.values.get(where) or Position(1, 1)
        loaded.notices.append(f"{path}:{pos.line}:{pos.column}: お知らせ: 全角の数字「{value}」を半角の {digits} として"
                              "読みました。数字は半角で書くことをお勧めします。")
        changed = True
    return changed


def dotted(path: tuple[Any, ...]) -> str:
    """('vendors', 0, 'name') -> 'vendors[0].name'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _short(value: Any) -> str:
    text = value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def validate(loaded: LoadedYaml, path: str) -> Proposal:
    """Build the Proposal or raise an InputError listing every problem with its position: first the
    schema's, then contradictions between valid values (checker/core/plausibility.py)."""
    if not isinstance(loaded.data, dict):
        kind = "リスト" if isinstance(loaded.data, list) else "単一の値"
        raise InputError(path, [Problem(
            f"ファイルの最上位が{kind}になっています。", "最上位は「キー: 値」のマッピングで書いてください。", 1, 1)])
    proposal = _schema_valid(loaded, path)
    loaded.notices.extend(plausibility.check(proposal, loaded, path))
    return proposal


def _schema_valid(loaded: LoadedYaml, path: str) -> Proposal:
    data = upgrade(loaded.data, loaded, path)
    try:
        return Proposal.model_validate(data)
    except ValidationError as exc:
        data = copy.deepcopy(data)
        if _normalise_digits(data, exc.errors(include_url=False), loaded, path):
            try:
                return Proposal.model_validate(data)
            except ValidationError as again:
                exc = again
        problems = [_problem_for(e, loaded) for e in exc.errors(include_url=False)]
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise InputError(path, problems) from None


def load_proposal(path: str | Path) -> LoadedProposal:
    """Read and validate one proposal file; every failure is an InputError (exit 2)."""
    name = str(path)
    loaded = load_yaml(path)
    proposal = validate(loaded, name)
    return LoadedProposal(name, proposal, loaded, list(loaded.notices))


def cross_check(loaded: LoadedProposal, catalogue: "Catalogue") -> None:
    """Safeguard ids, not_applicable areas and accepted-risk rule ids must exist in the catalogue (else
    exit 2, with the id meant when only case or width differs). An id typed in full width
    (ｌｏｇ－ｒｅｖｉｅｗ) is read as half-width, with a notice."""
    problems: list[Problem] = []
    p = loaded.proposal

    def known_id(raw: str, known: Any, where: tuple[Any, ...], what: str) -> str:
        sid = normalise_id(raw)
        pos = loaded.yaml.position(where)
        if sid not in known:
            hint = did_you_mean(raw, known) or "`shingikai rules list` で ID を確認してください。"
            problems.append(Problem(what.format(raw), hint, pos.line, pos.column))
        elif sid != raw:
            loaded.notices.append(f"{loaded.path}:{pos.line}:{pos.column}: お知らせ: 全角の「{raw}」を「{sid}」として"
                                  "読みました。ID は半角で書くことをお勧めします。")
        return sid

    safeguards = list(dict.fromkeys(known_id(sid, catalogue.safeguards, ("safeguards", i), "未知の安全管理措置 ID「{}」です。")
                                    for i, sid in enumerate(p.safeguards)))
    areas = {a.id for a in catalogue.areas}
    for key in p.not_applicable:
        if key not in areas:
            pos = loaded.yaml.position(("not_applicable", key))
            hint = did_you_mean(key, sorted(areas)) or f"使える記載事項: {', '.join(sorted(areas))}"
            problems.append(Problem(f"not_applicable に未知の記載事項「{key}」があります。", hint, pos.line, pos.column))
    risks = [risk.model_copy(update={"rule": known_id(risk.rule, catalogue.by_id, ("accepted_risks", i, "rule"),
                                                      "accepted_risks に未知のルール ID「{}」があります。")})
             for i, risk in enumerate(p.accepted_risks)]
    if problems:
        problems.sort(key=lambda x: (x.line or 0, x.column or 0))
        raise InputError(loaded.path, problems)
    if safeguards != list(p.safeguards) or [r.rule for r in risks] != [r.rule for r in p.accepted_risks]:
        loaded.proposal = p.model_copy(update={"safeguards": safeguards, "accepted_risks": risks})
