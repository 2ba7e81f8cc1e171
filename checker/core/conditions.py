"""The closed condition language of rule files, compiled to durable-rules JSON.

A condition is a tree of `all` / `any` / `not` nodes over fact patterns:

    all:
      - fact: transfer
        where: {medium: {in: [usb, encrypted_media]}, encrypted: {ne: true}}
      - not: {fact: safeguard, where: {id: media-encryption}}

`where` maps a fact field to a value (equality) or to one operator: eq, ne, in, not_in,
lt, le, gt, ge, exists, missing. `ne` and `not_in` also hold when the field is not stated.
Nothing is evaluated: patterns become durable JSON and the tree is expanded into
disjunctive normal form, one durable rule per branch, so `any` never reaches the engine.
"""
from __future__ import annotations

import itertools
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from checker.core.native_limits import COMPOSITES, LIST_VALUES, POSITIVE_PATTERNS

Scalar = Union[bool, int, str]
OPERATORS = ("eq", "ne", "in", "not_in", "lt", "le", "gt", "ge", "exists", "missing")
MAX_BRANCHES = 16


class Test(BaseModel):
    """One operator applied to one field."""

    model_config = ConfigDict(extra="forbid", defer_build=True)
    op: Literal["eq", "ne", "in", "not_in", "lt", "le", "gt", "ge", "exists", "missing"]
    value: Any = None


class Pattern(BaseModel):
    """Matches one fact of a type whose fields pass every test."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
    fact: str
    where: dict[str, Any] = Field(default_factory=dict)
    alias: str | None = Field(None, alias="as")

    @model_validator(mode="after")
    def _check_tests(self) -> "Pattern":
        for field, test in self.where.items():
            self.test_of(field, test)
        composites = _composites(pattern_json(self))
        if composites > COMPOSITES:
            # durable gives a pattern's $and / $or 2 of 32 expression slots (native_limits.py)
            raise ValueError(f"1 つのパターンの条件が複雑すぎます（式が {composites} 個、上限 {COMPOSITES} 個。"
                             "パターン自体が 1 個、ne と値が 2 つ以上の in が 1 個ずつ、not_in が 2 個ずつ）。"
                             "ルールを分けてください")
        return self

    @staticmethod
    def test_of(field: str, raw: Any) -> Test:
        if isinstance(raw, dict):
            if len(raw) != 1:
                raise ValueError(f"フィールド {field} には演算子を 1 つだけ書いてください: {raw}")
            (op, value), = raw.items()
            if op not in OPERATORS:
                raise ValueError(f"不明な演算子 {op}（使える演算子: {', '.join(OPERATORS)}）")
            if op in ("in", "not_in") and not (isinstance(value, list) and value):
                raise ValueError(f"{op} には値のリストが必要です（{field}）")
            if op in ("in", "not_in") and len(value) > LIST_VALUES:
                # each value is one test under the same node of durable's network (native_limits.py)
                raise ValueError(f"{op} の値が多すぎます（{field}: {len(value)} 個、上限 {LIST_VALUES} 個）。"
                                 "ルールを分けるか、値をまとめた項目で書いてください")
            if op in ("lt", "le", "gt", "ge") and (isinstance(value, bool) or not isinstance(value, int)):
                raise ValueError(f"{op} には整数が必要です（{field}）")
            if op in ("exists", "missing") and value is not True:
                raise ValueError(f"{op} は `{op}: true` と書いてください（{field}）")
            return Test(op=op, value=value)
        if isinstance(raw, list) or raw is None:
            raise ValueError(f"フィールド {field} の値が不正です: {raw!r}")
        return Test(op="eq", value=raw)

    def tests(self) -> list[tuple[str, Test]]:
        return [(f, self.test_of(f, raw)) for f, raw in self.where.items()]

    @property
    def name(self) -> str:
        return self.alias or self.fact


class Not(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
    not_: Pattern = Field(alias="not")


class All(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
    all_: list["Node"] = Field(alias="all", min_length=1)


class Any_(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
    any_: list["Node"] = Field(alias="any", min_length=1)


Node = Union[All, Any_, Not, Pattern]  # All and Any_ resolve "Node" when first built (defer_build)

# A conjunction: positive patterns that must match, negated ones that must not.
Branch = tuple[list[Pattern], list[Pattern]]


def parse(raw: Any) -> Node:
    """Validate a `when` tree, naming the offending node in Japanese when it is wrong."""
    if isinstance(raw, dict) and len(raw) == 1 and next(iter(raw)) in ("all", "any"):
        (key, children), = raw.items()
        if not isinstance(children, list) or not children:
            raise ValueError(f"{key} には 1 つ以上の条件のリストを書いてください。")
        nodes = [parse(child) for child in children]
        return All(all=nodes) if key == "all" else Any_(any=nodes)
    if isinstance(raw, dict) and set(raw) == {"not"}:
        inner = parse(raw["not"])
        if not isinstance(inner, Pattern):
            raise ValueError("not の中にはファクトのパターン（fact: ...）を 1 つだけ書いてください。")
        return Not(**{"not": inner})
    if isinstance(raw, dict) and "fact" in raw:
        try:
            return Pattern.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            message = str(first.get("ctx", {}).get("error") or first["msg"])
            raise ValueError(f"パターン {raw.get('fact')}: {message}") from None
    raise ValueError(f"条件は all / any / not / fact のいずれかで書いてください: {raw!r}")


def branch_count(node: Node) -> int:
    """How many branches branches(node) gives, without building them (16^8 would fill the memory)."""
    if isinstance(node, (Pattern, Not)):
        return 1
    if isinstance(node, Any_):
        return sum(branch_count(child) for child in node.any_)
    count = 1
    for child in node.all_:
        count *= branch_count(child)  # a number, not a list: 16^8 costs nothing
    return count


def branches(node: Node) -> list[Branch]:
    """Disjunctive normal form of a condition tree (ValueError past the rule-file limits)."""
    count = branch_count(node)
    if count > MAX_BRANCHES:
        raise ValueError(f"条件の組合せが多すぎます（{count:,} 通り、上限 {MAX_BRANCHES}）。ルールを分けてください。")
    out = _expand(node)
    for positive, _ in out:
        if len(positive) > POSITIVE_PATTERNS:
            # durable joins at most 16 facts in one match, one of them our stage marker (native_limits.py)
            raise ValueError(f"条件の 1 つの組合せのパターンが多すぎます（not 以外が {len(positive)} 個、"
                             f"上限 {POSITIVE_PATTERNS} 個）。ルールを分けてください。")
    return out


def _expand(node: Node) -> list[Branch]:
    if isinstance(node, Pattern):
        return [([node], [])]
    if isinstance(node, Not):
        return [([], [node.not_])]
    if isinstance(node, Any_):
        return [b for child in node.any_ for b in _expand(child)]
    return [([p for pos, _ in combo for p in pos], [n for _, neg in combo for n in neg])
            for combo in itertools.product(*(_expand(child) for child in node.all_))]


def patterns(node: Node) -> list[tuple[Pattern, bool]]:
    """Every pattern in the tree with whether it is negated."""
    if isinstance(node, Pattern):
        return [(node, False)]
    if isinstance(node, Not):
        return [(node.not_, True)]
    children = node.all_ if isinstance(node, All) else node.any_
    return [pair for child in children for pair in patterns(child)]


def _test_json(field: str, test: Test) -> dict[str, Any]:
    v = test.value
    if test.op == "eq":
        return {field: v}
    if test.op == "ne":
        return {"$or": [{"$neq": {field: v}}, {"$nex": {field: 1}}]}
    if test.op == "in":
        return {"$or": [{field: x} for x in v]} if len(v) > 1 else {field: v[0]}
    if test.op == "not_in":
        return {"$or": [{"$and": [{"$neq": {field: x}} for x in v]}, {"$nex": {field: 1}}]}
    if test.op == "exists":
        return {"$ex": {field: 1}}
    if test.op == "missing":
        return {"$nex": {field: 1}}
    durable_op = {"lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}[test.op]
    return {durable_op: {field: v}}


def pattern_json(pattern: Pattern) -> dict[str, Any]:
    """A fact pattern as a durable-rules expression."""
    return {"$and": [{"t": pattern.fact}] + [_test_json(f, t) for f, t in pattern.tests()]}


def _composites(expression: Any) -> int:
    """The $and / $or objects of a durable expression."""
    if isinstance(expression, dict):
        own = sum(1 for key in expression if key in ("$and", "$or"))
        return own + sum(_composites(v) for v in expression.values())
    if isinstance(expression, list):
        return sum(_composites(v) for v in expression)
    return 0
