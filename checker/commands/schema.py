"""The JSON Schemas of proposal files and of rule files, generated from the models (never hand-edited).

The rule schema is the Rule model's, with `when` spelled out from the fact contract
(checker/core/fact_schema.py): an editor then completes fact types, their fields and enum values.
The loader checks more than a schema can (placeholders in `because`, negations, examples), so the
schema is for writing; `shingikai rules lint` is the check.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from checker.core.catalogue import Catalogue, Rule
from checker.core.fact_schema import ENUM_FIELDS, FACT_DOCS, FACT_FIELDS, FIELD_NOTES
from checker.core.proposal import LABELS, Proposal

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://shingikai-checker.invalid/proposal.schema.json"
RULE_SCHEMA_ID = "https://shingikai-checker.invalid/rule.schema.json"
RECORD_SCHEMA_ID = "https://shingikai-checker.invalid/record.schema.json"
JSON_TYPES = {bool: "boolean", int: "integer", str: "string"}


def _dump(schema: dict[str, Any]) -> str:
    return json.dumps(_portable(schema), ensure_ascii=False, indent=2) + "\n"


def _portable(node: Any) -> Any:
    """The same schema from every supported pydantic: pydantic >= 2.10 writes `additionalProperties:
    true` for a `dict[str, Any]` field and 2.9 leaves it out. True is JSON Schema's default, so it is
    left out here too, and the committed schemas match whichever version generated them."""
    if isinstance(node, dict):
        return {k: _portable(v) for k, v in node.items() if not (k == "additionalProperties" and v is True)}
    if isinstance(node, list):
        return [_portable(v) for v in node]
    return node


def schema_text(rules_dirs: list[Path] | None = None) -> str:
    """The proposal schema, with the catalogue's safeguard and rule ids spelled out for completion.

    `rules_dirs` adds a municipality's own rules and safeguards, so its editors complete those too.
    """
    from checker.core.cache import cached_catalogue
    schema = Proposal.model_json_schema(by_alias=True)
    _enumerate_ids(schema, cached_catalogue(rules_dirs))
    return _dump({"$schema": DRAFT, "$id": SCHEMA_ID, **schema})


def _choices(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    """One `const` per id with its Japanese text as description: editors show the text beside the id."""
    return [{"const": key, "description": text} for key, text in pairs]


def _enumerate_ids(schema: dict[str, Any], catalogue: Catalogue) -> None:
    """`safeguards:` takes safeguard ids and `accepted_risks[].rule` rule ids of the catalogue.

    The loader checks the same against the catalogue it runs with (validation.cross_check), with a
    did-you-mean hint; the schema lets an editor complete and flag them while the file is written.
    """
    safeguards = schema["properties"]["safeguards"]
    safeguards["items"] = {"oneOf": _choices(sorted((sid, s.text) for sid, s in catalogue.safeguards.items()))}
    rule = schema["$defs"]["AcceptedRisk"]["properties"]["rule"]
    rule.pop("minLength", None)
    rule["oneOf"] = _choices(sorted((r.id, r.title) for r in catalogue.rules))


def record_schema_text() -> str:
    """The schema of a council's record file (checker/core/record.py)."""
    from checker.core.record import record_schema
    return _dump({"$schema": DRAFT, "$id": RECORD_SCHEMA_ID, **record_schema()})


def _kind_of(field: str, kind: type) -> str:
    """The name of a field's value kind: an enum of the proposal schema, or boolean / integer / string."""
    enum = ENUM_FIELDS.get(field)
    return enum if kind is str and enum else JSON_TYPES[kind]


def _tests(kinds: set[str]) -> dict[str, Any]:
    """One definition per value kind: a value (equality), or one operator applied to such values."""
    defs: dict[str, Any] = {}
    for kind in sorted(kinds):
        value = {"enum": list(LABELS[kind])} if kind in LABELS else {"type": kind}
        operators: dict[str, Any] = {"eq": value, "ne": value,
                                     "in": {"type": "array", "items": value, "minItems": 1},
                                     "not_in": {"type": "array", "items": value, "minItems": 1},
                                     "exists": {"const": True}, "missing": {"const": True}}
        if kind == "integer":
            operators.update({op: {"type": "integer"} for op in ("lt", "le", "gt", "ge")})
        defs[f"Test_{kind}"] = {"oneOf": [value, {"type": "object", "properties": operators, "additionalProperties": False,
                                                  "minProperties": 1, "maxProperties": 1}]}
    return defs


def _patterns() -> list[dict[str, Any]]:
    """One pattern schema per fact type, and one for facts that rules derive (any other name)."""
    out = []
    for fact, fields in FACT_FIELDS.items():
        notes = FIELD_NOTES.get(fact, {})
        properties = {}
        for name, kind in fields.items():
            test: dict[str, Any] = {"$ref": f"#/$defs/Test_{_kind_of(name, kind)}"}
            if notes.get(name):
                test["description"] = notes[name]
            properties[name] = test
        out.append({"type": "object", "additionalProperties": False, "required": ["fact"],
                    "properties": {"fact": {"const": fact, "description": FACT_DOCS[fact][1]},
                                   "where": {"type": "object", "additionalProperties": False, "properties": properties},
                                   "as": {"type": "string", "description": "because で {別名.項目} と引くときの別名"}}})
    out.append({"type": "object", "additionalProperties": False, "required": ["fact"],
                "properties": {"fact": {"type": "string", "not": {"enum": list(FACT_FIELDS)},
                                        "description": "ルールの derive: が導くファクト"},
                               "where": {"type": "object"}, "as": {"type": "string"}}})
    return out


def rule_schema_text() -> str:
    schema = Rule.model_json_schema(by_alias=True)
    defs = schema.setdefault("$defs", {})
    defs.update(_tests({_kind_of(name, kind) for fields in FACT_FIELDS.values() for name, kind in fields.items()}))
    defs["Pattern"] = {"description": "ファクトのパターン（docs/facts.md）", "oneOf": _patterns()}
    defs["Condition"] = {"oneOf": [
        {"type": "object", "additionalProperties": False, "required": ["all"],
         "properties": {"all": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/Condition"},
                                "description": "すべて当てはまる"}}},
        {"type": "object", "additionalProperties": False, "required": ["any"],
         "properties": {"any": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/Condition"},
                                "description": "どれかが当てはまる"}}},
        {"type": "object", "additionalProperties": False, "required": ["not"],
         "properties": {"not": {"$ref": "#/$defs/Pattern", "description": "当てはまるファクトがない"}}},
        {"$ref": "#/$defs/Pattern"}]}
    when = schema["properties"]["when"]
    schema["properties"]["when"] = {"$ref": "#/$defs/Condition", "description": when.get("description", "")}
    return _dump({"$schema": DRAFT, "$id": RULE_SCHEMA_ID, **schema})
