"""Placeholders: values that only hold a place (未定, TBD, ○○, （仮）…) instead of saying something.

The list is data (rules/placeholders.yaml), validated when it is loaded. A value is compared after
normalisation: NFKC (full-width letters, digits and marks become half-width), surrounding spaces
and brackets removed however deeply nested, and letters case-folded, so （仮）, 【未定】, ＴＢＡ and
" n/a " are all caught by one entry each. A placeholder counts as unstated (checker/core/coverage.py)
and every one in a proposal is listed with its position (find).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from checker.core.errors import RuleError
from checker.core.paths import bundled_rules_dir

FILE_NAME = "placeholders.yaml"
# Brackets a value may be wrapped in: （仮）, 【未定】, 「TBD」, <TBA>, [要確認] (half-width after NFKC).
_OPEN, _CLOSE = "([{「『【〈《〔<", ")]}」』】〉》〕>"
_SPACES = re.compile(r"\s+")


class Mark(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    pattern: str = Field(min_length=1, description="正規化した値に対する正規表現")
    why: str = Field(min_length=1, description="この記号を仮の記載とする理由")

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"正規表現として読めません（{exc}）") from None
        return value


class PlaceholderList(BaseModel):
    """rules/placeholders.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    words: list[str] = Field(min_length=1, description="値全体がこの語だけなら仮の記載")
    marks: list[Mark] = Field(default_factory=list, description="値のどこかにあれば仮の記載")

    @field_validator("words")
    @classmethod
    def _words_normalise_to_something(cls, words: list[str]) -> list[str]:
        for word in words:
            if not normalise(str(word)):
                raise ValueError(f"語「{word}」は正規化すると空になります（括弧と空白だけの語は書けません）")
        return words


def normalise(text: str) -> str:
    """NFKC, spaces collapsed, surrounding brackets and spaces removed, case-folded."""
    norm = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    while len(norm) >= 2 and norm[0] in _OPEN and norm[-1] == _CLOSE[_OPEN.index(norm[0])]:
        norm = norm[1:-1].strip()
    return norm.casefold()


@dataclass(frozen=True)
class Matcher:
    words: frozenset[str]
    marks: tuple[re.Pattern[str], ...]

    def __call__(self, text: str) -> bool:
        norm = normalise(text)
        return not norm or norm in self.words or any(m.search(norm) for m in self.marks)


def load(path: Path) -> Matcher:
    """The validated list at `path` (a RuleError, exit 3, naming the file when it is wrong)."""
    import yaml

    from checker.core.loading import SAFE_LOADER
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        checked = PlaceholderList.model_validate(data)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RuleError(str(path), f"仮の記載の一覧を読めません（{type(exc).__name__}）。UTF-8 の YAML として保存してください。") from None
    except ValidationError as exc:
        e = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in e["loc"]) or "（ファイル全体）"
        raise RuleError(str(path), f"{where}: {e['msg'].removeprefix('Value error, ')}。"
                                   "「words: [語, …]」「marks: [{pattern: 正規表現, why: 理由}, …]」の形で書いてください。") from None
    return Matcher(frozenset(normalise(str(w)) for w in checked.words),
                   tuple(re.compile(m.pattern) for m in checked.marks))


@lru_cache(maxsize=1)
def bundled() -> Matcher:
    return load(bundled_rules_dir() / FILE_NAME)


def is_placeholder(text: str) -> bool:
    """Whether a text only holds a place (empty, ○○, 未定, TBD, （仮）…) instead of saying something.

    Short texts are remembered: a folder of proposals repeats the same names and phrases from file to
    file, and normalising each again was ~5% of a lint. Long ones (rarely repeated) are not, so the
    memory stays small whatever the files hold."""
    return _short_placeholder(text) if len(text) <= 200 else bundled()(text)


@lru_cache(maxsize=8192)
def _short_placeholder(text: str) -> bool:
    return bundled()(text)


@dataclass(frozen=True)
class Found:
    path: tuple[Any, ...]   # where in the YAML data, e.g. ("vendors", 0, "name")
    value: str


def find(data: Any, path: tuple[Any, ...] = ()) -> list[Found]:
    """Every non-empty text value of the YAML data that is a placeholder, in document order.
    Empty values are left out: they are plainly empty, and a scaffold has many."""
    out: list[Found] = []
    if isinstance(data, str):
        if data.strip() and is_placeholder(data):
            out.append(Found(path, data))
    elif isinstance(data, dict):
        for key, value in data.items():
            out.extend(find(value, (*path, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(find(value, (*path, i)))
    return out
