"""The reference of fact types and fields for rule authors (docs/facts.md), generated from
checker/core/fact_schema.py and the catalogue's derived facts; never edited by hand."""
from __future__ import annotations

from checker.core.catalogue import Catalogue
from checker.core.fact_schema import ENUM_FIELDS, FACT_DOCS, FACT_FIELDS, FIELD_NOTES, SINGLE_FACTS
from checker.core.proposal import LABELS
from checker.reporters.templating import environment

TYPE_NAMES = {bool: "真偽", int: "整数", str: "文字列", object: "値"}


def values(field: str, kind: type) -> str:
    """What a field holds, for the table: the enum's values with their labels, or true / false."""
    if kind is bool:
        return "true / false"
    enum = ENUM_FIELDS.get(field)
    if kind is str and enum:
        return "、".join(f"`{value}`（{label}）" for value, label in LABELS[enum].items())
    return ""


def render_facts(catalogue: Catalogue) -> str:
    derived: dict[str, tuple[list[str], list[str]]] = {}
    for rule in catalogue.rules:
        if rule.derive:
            fields, rule_ids = derived.setdefault(rule.derive.fact, ([], []))
            fields.extend(f for f in rule.derive.fields if f not in fields)
            rule_ids.append(rule.id)
    return environment(autoescape=False).get_template("facts.md.j2").render(
        docs=FACT_DOCS, facts=FACT_FIELDS, notes=FIELD_NOTES, single=SINGLE_FACTS, type_names=TYPE_NAMES,
        values=values, derived=derived).rstrip() + "\n"
