"""Normalise data-item names and map them to categories (要配慮, quasi-sensitive, My Number...).

The knowledge lives in rules/vocabulary.yaml; this module only normalises text the same way
for the vocabulary and for the proposal, then looks names up: an exact synonym first, then
the longest vocabulary term contained in the name ("既往歴（病名）" contains "既往歴").
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import jaconv
import yaml

from checker.core.errors import RuleError
from checker.core.loading import SAFE_LOADER

_NOISE = re.compile(r"[\s・･,，、。()（）\[\]「」『』【】<>＜＞/／\-ー―‐~〜～:：]+")

# Flags a category may carry; rules read them as data_item fact fields.
FLAGS = ("sensitive", "quasi_sensitive", "my_number", "health", "biometric", "financial", "child",
         "recording", "maybe_sensitive", "ordinance_sensitive")
# When a name mentions several categories, the first flag in this order decides.
_PRIORITY = ("sensitive", "ordinance_sensitive", "my_number", "maybe_sensitive", "quasi_sensitive", "child", "financial")


def normalise(text: str) -> str:
    """NFKC (full/half width), katakana to hiragana, lower case, punctuation and spaces removed."""
    text = unicodedata.normalize("NFKC", text)
    text = jaconv.kata2hira(text).lower()
    return _NOISE.sub("", text)


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    flags: frozenset[str]


# The category a municipality's 条例要配慮個人情報 (法第60条第5項) falls in (ordinance_sensitive.yaml).
ORDINANCE_SENSITIVE = Category("ordinance_sensitive", "条例要配慮個人情報", frozenset({"ordinance_sensitive"}))


@dataclass(frozen=True)
class Match:
    category: Category | None
    term: str = ""

    def flag(self, name: str) -> bool:
        return bool(self.category and name in self.category.flags)


class Vocabulary:
    """Looks up the category of a data-item name."""

    def __init__(self, categories: dict[str, Category], terms: dict[str, str], excludes: set[str],
                 national: tuple[str, ...] = (), core: dict[str, tuple[str, ...]] | None = None):
        self.categories = categories
        self.national = national        # normalised names of national infrastructure (住基ネット, eLTAX...)
        self.core = core or {}          # category code -> normalised words of the work it is the core of
        self.terms = terms              # normalised term -> category code
        self.excludes = excludes        # normalised names that must never match by containment
        self._by_length = sorted(terms, key=len, reverse=True)
        self._seen: dict[str, Match] = {}

    def with_ordinance_sensitive(self, names: list[str]) -> "Vocabulary":
        """A copy where the municipality's 条例要配慮個人情報 items fall in their own category; a term the
        bundled vocabulary already knows keeps that category's flags too (生活保護 stays quasi-sensitive)."""
        categories = dict(self.categories)
        terms = dict(self.terms)
        for name in names:
            key = normalise(name)
            known = categories.get(terms.get(key, ""))
            code = f"ordinance_sensitive:{known.code}" if known else ORDINANCE_SENSITIVE.code
            categories[code] = Category(code, ORDINANCE_SENSITIVE.label + (f"（{known.label}）" if known else ""),
                                        ORDINANCE_SENSITIVE.flags | (known.flags if known else frozenset()))
            terms[key] = code
        return Vocabulary(categories, terms, set(self.excludes), self.national, self.core)

    def lookup(self, name: str) -> Match:
        # Item names repeat across a folder of proposals: match each once (bounded, so that
        # 10,000 files of unique names do not grow memory).
        match = self._seen.get(name)
        if match is None:
            if len(self._seen) >= 20_000:
                self._seen.clear()
            match = self._seen[name] = self._lookup(name)
        return match

    def _lookup(self, name: str) -> Match:
        key = normalise(name)
        if key in self.terms:
            return Match(self.categories[self.terms[key]], key)
        if key in self.excludes:
            return Match(None)
        found = [t for t in self._by_length if len(t) >= 2 and t in key]
        # A term inside a longer found term is not a separate mention ("マイナンバー" in
        # "マイナンバーカード"). Of the separate mentions the most protective category wins:
        # "相談の種別（虐待・貧困・いじめ）" is 要配慮 because of 虐待, whatever the other words.
        found = [t for t in found if not any(t != u and t in u for u in found)]
        if not found:
            return Match(None)
        best = min(found, key=lambda t: (self._rank(self.terms[t]), -len(t)))
        return Match(self.categories[self.terms[best]], best)

    def is_national_infrastructure(self, name: str) -> bool:
        """A recipient or source that is a national system (情報提供ネットワークシステム, 住基ネット, eLTAX...)."""
        key = normalise(name)
        return any(word in key for word in self.national)

    def core_categories(self, work: str) -> set[str]:
        """The item categories the law makes the core of this work (所得 for local tax)."""
        key = normalise(work)
        return {code for code, words in self.core.items() if any(w in key for w in words)}

    def _rank(self, code: str) -> int:
        flags = self.categories[code].flags
        return next((i for i, f in enumerate(_PRIORITY) if f in flags), len(_PRIORITY))


def load_vocabulary(path: Path) -> Vocabulary:
    """Read and validate rules/vocabulary.yaml (a broken file is a RuleError, exit 3)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RuleError(str(path), f"語彙ファイルを読めません: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
        raise RuleError(str(path), "categories（分類の定義）がありません。")
    categories: dict[str, Category] = {}
    for code, spec in data["categories"].items():
        flags = frozenset(spec.get("flags", []))
        unknown = flags - set(FLAGS)
        if unknown:
            raise RuleError(str(path), f"分類 {code} に不明なフラグ {sorted(unknown)} があります。")
        categories[code] = Category(code, spec.get("label", code), flags)
    terms: dict[str, str] = {}
    for code, names in (data.get("terms") or {}).items():
        if code not in categories:
            raise RuleError(str(path), f"terms に未定義の分類 {code} があります。")
        for name in names:
            key = normalise(str(name))
            if key in terms and terms[key] != code:
                raise RuleError(str(path), f"語「{name}」が {terms[key]} と {code} の両方にあります。")
            terms[key] = code
    excludes = {normalise(str(n)) for n in data.get("not_sensitive", [])}
    national = tuple(normalise(str(n)) for n in data.get("national_infrastructure") or [])
    core_spec = data.get("statutory_core") or {}
    if not isinstance(core_spec, dict) or set(core_spec) - set(categories):
        raise RuleError(str(path), "statutory_core は、定義済みの分類ごとに事務の名称の語を並べてください。")
    core = {code: tuple(normalise(str(w)) for w in words or []) for code, words in core_spec.items()}
    return Vocabulary(categories, terms, excludes, national, core)
