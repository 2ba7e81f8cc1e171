"""Load and validate the rule knowledge base: rules/<topic>/<ID>.yaml plus its shared files.

Everything in a rule file is data checked here at load time; a broken file is a RuleError
naming the file and the rule (the CLI exits 3). Nothing in a rule file is executed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import conditions
from .errors import RuleError
from .facts import ENUM_FIELDS, FACT_FIELDS
from .loading import SAFE_LOADER
from .proposal import LABELS
from .vocabulary import Vocabulary, load_vocabulary

Severity = Literal["high", "medium", "low"]
RULE_ID = re.compile(r"^[A-Z]{2,5}-\d{3}$")
PLACEHOLDER = re.compile(r"\{(\w+)\.(\w+)\}")
SHARED_FILES = {"topics.yaml", "safeguards.yaml", "vocabulary.yaml", "example_base.yaml"}


def bundled_rules_dir() -> Path:
    """The rules shipped in the wheel, or the repository's rules/ in a source checkout."""
    packaged = Path(__file__).parent / "rules"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "rules"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Safeguard(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    text: str = Field(min_length=1, description="講じるべき措置")
    write: str = Field(min_length=1, description="諮問書に書くべき内容")


class Precedent(Strict):
    source: str = Field(min_length=1, description="会議録ファイル名、または法令・指針の名称")
    item: str = Field(min_length=1, description="案件番号、または条項")
    note: str = Field(min_length=1, description="そこで何が問われたか（要約）")


class Derive(Strict):
    fact: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    fields: dict[str, Any] = Field(default_factory=dict)


class Example(Strict):
    name: str = Field(min_length=1)
    proposal: dict[str, Any] = Field(default_factory=dict)


class Examples(Strict):
    fires: list[Example] = Field(min_length=1)
    quiet: list[Example] = Field(min_length=1)


class Rule(Strict):
    id: str
    title: str = Field(min_length=1)
    topic: str
    also_topics: list[str] = Field(default_factory=list)
    severity: Severity
    deferral: bool = Field(False, description="未対応だと継続審議になりやすい種類の指摘か")
    why: str = Field(min_length=1)
    when: Any
    because: str = Field(min_length=1)
    questions: list[str] = Field(min_length=1)
    safeguards: list[str] = Field(min_length=1)
    precedents: list[Precedent] = Field(min_length=1)
    derive: Derive | None = None
    examples: Examples

    @field_validator("questions")
    @classmethod
    def _non_empty(cls, value: list[str]) -> list[str]:
        if any(not q.strip() for q in value):
            raise ValueError("空の質問があります")
        return value

    @cached_property
    def condition(self) -> conditions.Node:
        return conditions.parse(self.when)

    @property
    def topics(self) -> list[str]:
        return [self.topic, *self.also_topics]


@dataclass
class Catalogue:
    """Validated rules, safeguards, topics and vocabulary, with the source file of each rule."""

    rules: list[Rule]
    safeguards: dict[str, Safeguard]
    topics: dict[str, str]
    vocabulary: Vocabulary
    example_base: dict[str, Any]
    files: dict[str, Path] = field(default_factory=dict)
    derived_fields: dict[str, dict[str, type]] = field(default_factory=dict)

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    @cached_property
    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    @cached_property
    def located_patterns(self) -> dict[str, tuple[str, ...]]:
        """Rule id -> names of its positive patterns in condition order (where a finding points)."""
        return {r.id: tuple(p.name for p, negated in conditions.patterns(r.condition) if not negated)
                for r in self.rules}

    def fields_of(self, fact: str) -> dict[str, type] | None:
        return FACT_FIELDS.get(fact) or self.derived_fields.get(fact)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "UTF-8 ではありません" if isinstance(exc, UnicodeDecodeError) else (exc.strerror or type(exc).__name__)
        raise RuleError(str(path), f"ルールファイルを読めません（{reason}）。UTF-8 のテキストとして保存し、"
                                   "権限を確認してください。") from None
    try:
        # The C loader: same safe semantics, ~10x faster on a rule base of dozens of files.
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        raise _yaml_error(path, text) from None


def _yaml_error(path: Path, text: str) -> RuleError:
    """The proposal loader's Japanese message for the same mistake, at file:line:col."""
    from .errors import InputError
    from .loading import parse_yaml
    try:
        parse_yaml(text, str(path))
    except InputError as exc:
        problem = exc.problems[0]
        where = f"{path}:{problem.line}:{problem.column or 1}" if problem.line else str(path)
        return RuleError(where, problem.message + (f" → {problem.hint}" if problem.hint else ""))
    return RuleError(str(path), "YAML として読めません。インデント、コロンの後の空白、引用符・括弧の閉じ忘れを確認してください。")


_RULE_FIELD_HINTS = {"examples": "examples: の下に fires（ルールが当たる例）と quiet（当たらない例）を 1 つ以上書いてください"}


def _first_error(exc: ValidationError) -> str:
    """The first problem in Japanese, with what to write (rules are read without positions)."""
    e = exc.errors(include_url=False)[0]
    where = ".".join(str(x) for x in e["loc"]) or "（ファイル全体）"
    kind, last = e["type"], str(e["loc"][-1]) if e["loc"] else ""
    if kind == "missing":
        hint = _RULE_FIELD_HINTS.get(last, f"「{last}:」を追加してください")
        return f"必須の項目「{where}」がありません。{hint}（`shingikai rules lint` で確かめられます）。"
    if kind == "extra_forbidden":
        return f"不明な項目「{where}」があります。綴りを確認するか、削除してください。"
    if kind == "too_short":
        return f"{where} が空です。少なくとも 1 つ書いてください。"
    if kind in ("literal_error", "enum"):
        expected = e.get("ctx", {}).get("expected", "")
        return f"{where} の値 {e.get('input')!r} は使えません（使える値: {expected}）。"
    if kind == "string_pattern_mismatch":
        return f"{where} の値 {e.get('input')!r} は決められた形になっていません（{e.get('ctx', {}).get('pattern', '')}）。"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{where} の値 {e.get('input')!r} の型が違います（{kind}）。ルールの書き方（docs/rules.md）を確認してください。"
    return f"{where}: 値が正しくありません（{e['msg']}）。"


def _load_safeguards(path: Path, into: dict[str, Safeguard]) -> None:
    data = _read_yaml(path) or {}
    if not isinstance(data, dict):
        raise RuleError(str(path), "「ID: {text, write}」のマッピングで書いてください。")
    for sid, spec in data.items():
        if sid in into:
            raise RuleError(str(path), f"安全管理措置 {sid} が重複して定義されています。")
        try:
            into[sid] = Safeguard(id=sid, **(spec or {}))
        except (ValidationError, TypeError) as exc:
            msg = _first_error(exc) if isinstance(exc, ValidationError) else str(exc)
            raise RuleError(str(path), f"安全管理措置 {sid}: {msg}") from None


def _rule_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*.yaml") if p.name not in SHARED_FILES)


def load_catalogue(extra_dirs: list[Path] | None = None, base: Path | None = None) -> Catalogue:
    """Load the bundled rules (or `base`) plus a municipality's own rule folders."""
    base = base or bundled_rules_dir()
    if not base.is_dir():
        raise RuleError(str(base), "ルールのフォルダが見つかりません。")
    topics_data = _read_yaml(base / "topics.yaml") or {}
    topics = dict(topics_data.get("topics") or {})
    if not topics:
        raise RuleError(str(base / "topics.yaml"), "論点（topics）が定義されていません。")
    safeguards: dict[str, Safeguard] = {}
    _load_safeguards(base / "safeguards.yaml", safeguards)
    vocabulary = load_vocabulary(base / "vocabulary.yaml")
    example_base = _read_yaml(base / "example_base.yaml") or {}
    files: dict[str, Path] = {}
    rules: list[Rule] = []
    for directory in [base, *(extra_dirs or [])]:
        if not directory.is_dir():
            raise RuleError(str(directory), "ルールのフォルダが見つかりません。")
        if directory != base and (directory / "safeguards.yaml").exists():
            _load_safeguards(directory / "safeguards.yaml", safeguards)
        for path in _rule_files(directory):
            rule = _load_rule(path)
            if rule.id in files:
                raise RuleError(str(path), f"ID {rule.id} は {files[rule.id]} と重複しています。", rule.id)
            files[rule.id] = path
            rules.append(rule)
    catalogue = Catalogue(sorted(rules, key=lambda r: r.id), safeguards, topics, vocabulary,
                          example_base, files)
    _check_references(catalogue)
    return catalogue


def _load_rule(path: Path) -> Rule:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise RuleError(str(path), "ルールは「キー: 値」のマッピングで書いてください。")
    rule_id = str(data.get("id", ""))
    try:
        rule = Rule.model_validate(data)
        conditions.branches(rule.condition)
    except ValidationError as exc:
        raise RuleError(str(path), _first_error(exc), rule_id) from None
    except ValueError as exc:
        raise RuleError(str(path), str(exc), rule_id) from None
    if not RULE_ID.match(rule.id):
        raise RuleError(str(path), "ID は「ABC-001」の形にしてください。", rule.id)
    if path.stem != rule.id:
        raise RuleError(str(path), f"ファイル名（{path.stem}）と ID（{rule.id}）を一致させてください。", rule.id)
    if path.parent.name != rule.topic:
        raise RuleError(str(path), f"フォルダ名（{path.parent.name}）と topic（{rule.topic}）を一致させてください。", rule.id)
    return rule


def _check_references(cat: Catalogue) -> None:
    """Topics, safeguards, fact types, fields, value types and placeholders all exist."""
    for rule in cat.rules:
        if rule.derive:
            cat.derived_fields.setdefault(rule.derive.fact, {}).update(
                {k: (type(v) if not isinstance(v, str) or not PLACEHOLDER.fullmatch(v) else object)
                 for k, v in rule.derive.fields.items()})
    for rule in cat.rules:
        path = str(cat.files[rule.id])

        def fail(message: str) -> None:
            raise RuleError(path, message, rule.id)

        for topic in rule.topics:
            if topic not in cat.topics:
                fail(f"未知の論点 {topic} です（rules/topics.yaml を参照）。")
        for sid in rule.safeguards:
            if sid not in cat.safeguards:
                fail(f"未定義の安全管理措置 {sid} です（rules/safeguards.yaml に追加してください）。")
        aliases: dict[str, str] = {}
        for pattern, negated in conditions.patterns(rule.condition):
            fields = cat.fields_of(pattern.fact)
            if fields is None:
                fail(f"未知のファクト型 {pattern.fact} です。")
            for name, test in pattern.tests():
                if name not in fields:
                    fail(f"ファクト {pattern.fact} に項目 {name} はありません（使える項目: {', '.join(fields)}）。")
                _check_value(fail, pattern.fact, name, fields[name], test)
                _check_enum(fail, pattern.fact, name, test)
            if not negated:
                aliases[pattern.name] = pattern.fact
        for alias, fld in PLACEHOLDER.findall(rule.because + str(rule.derive.fields if rule.derive else "")):
            if alias not in aliases:
                fail(f"because の {{{alias}.{fld}}} が条件のどのパターンも指していません。")
            if fld not in (cat.fields_of(aliases[alias]) or {}):
                fail(f"because の {{{alias}.{fld}}}: ファクト {aliases[alias]} に項目 {fld} はありません。")


def _check_value(fail: Any, fact: str, name: str, kind: type, test: conditions.Test) -> None:
    if test.op in ("exists", "missing") or kind is object:
        return
    values = test.value if isinstance(test.value, list) else [test.value]
    for v in values:
        ok = isinstance(v, bool) if kind is bool else (isinstance(v, kind) and not isinstance(v, bool))
        if not ok:
            fail(f"{fact}.{name} は {kind.__name__} 型ですが、値 {v!r} が指定されています。")


def _check_enum(fail: Any, fact: str, name: str, test: conditions.Test) -> None:
    """A misspelt enum value would make a rule that can never fire: reject it."""
    enum = ENUM_FIELDS.get(name)
    if fact not in FACT_FIELDS or enum is None or test.op in ("exists", "missing"):
        return
    allowed = set(LABELS[enum])
    for v in test.value if isinstance(test.value, list) else [test.value]:
        if v not in allowed:
            fail(f"{fact}.{name} の値 {v!r} は定義にありません（使える値: {', '.join(sorted(allowed))}）。")
