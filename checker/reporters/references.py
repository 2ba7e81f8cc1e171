"""The lighter JSON (`--format json_refs`): what comes from the rule files is said once.

The full JSON repeats in every finding what its rules and sources say, whatever the file: the
precedents with their sources' titles and addresses, the questions, the line on what the
likelihood rests on, and each safeguard's text (over half of a folder's lint JSON). Here:
- `references.sources[key]`: a source's title, url, kind, edition and regime;
- `references.safeguards[id]`: a safeguard's text and how to write it;
- `references.rule_sets[key]`: the precedents (source, item, note), questions and likelihood basis
  shared by every finding whose rules are the same; the finding names its `rule_set`
  (its `rules` joined with "+").
Each finding keeps what is its own (status, locations, triggers, safeguards' `declared` and
`stated_in`, ...). `resolve` puts the texts back: the result equals `--format json`.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from checker.core.findings import Finding, PrecedentRef, SafeguardCheck

SOURCE_FIELDS = ("title", "url", "kind", "edition", "regime")
SAFEGUARD_FIELDS = ("text", "write")
RULE_SET_FIELDS = ("questions", "precedents", "likelihood_basis")
KINDS = ("sources", "safeguards", "rule_sets")

Table = dict[str, dict[str, Any]]


def empty() -> Table:
    return {kind: {} for kind in KINDS}


def merged(tables: Iterable[Table]) -> Table:
    """One table from several, each kind sorted by key (the same output whatever the files' order)."""
    out = empty()
    for table in tables:
        for kind, entries in table.items():
            for key, value in entries.items():
                out[kind].setdefault(key, value)
    return {kind: dict(sorted(entries.items())) for kind, entries in out.items()}


def lift(records: dict[str, Any], table: Table) -> dict[str, Any]:
    """A report's records with the rule files' texts moved into `table` (filled in place)."""
    return {**records, "findings": [_lift_finding(f, table) for f in records["findings"]]}


def _lift_finding(finding: dict[str, Any], table: Table) -> dict[str, Any]:
    precedents = []
    for precedent in finding["precedents"]:
        table["sources"].setdefault(precedent["source"], {k: precedent[k] for k in SOURCE_FIELDS})
        precedents.append({k: v for k, v in precedent.items() if k not in SOURCE_FIELDS})
    checks = []
    for check in finding["safeguards"]:
        table["safeguards"].setdefault(check["id"], {k: check[k] for k in SAFEGUARD_FIELDS})
        checks.append({k: v for k, v in check.items() if k not in SAFEGUARD_FIELDS})
    key = "+".join(finding["rules"])
    shared = {"questions": finding["questions"], "precedents": precedents,
              "likelihood_basis": finding["likelihood_basis"]}
    if table["rule_sets"].setdefault(key, shared) != shared:
        # the same rules said something else in this output (a rules folder per file): keep it in place
        return {**finding, "precedents": precedents, "safeguards": checks}
    out = {k: v for k, v in finding.items() if k not in RULE_SET_FIELDS}
    out["rule_set"] = key
    out["safeguards"] = checks
    return out


def resolve(records: dict[str, Any], table: Table) -> dict[str, Any]:
    """The inverse of lift: the records as `--format json` writes them (for readers and tests)."""
    return {**records, "findings": [_resolve_finding(f, table) for f in records["findings"]]}


def _resolve_finding(finding: dict[str, Any], table: Table) -> dict[str, Any]:
    whole = dict(finding)
    key = whole.pop("rule_set", None)
    if key is not None:
        whole.update(table["rule_sets"][key])
    whole["precedents"] = [_ordered({**p, **table["sources"][p["source"]]}, PrecedentRef)
                           for p in whole["precedents"]]
    whole["safeguards"] = [_ordered({**c, **table["safeguards"][c["id"]]}, SafeguardCheck)
                           for c in whole["safeguards"]]
    return _ordered(whole, Finding)


def _ordered(value: dict[str, Any], model: Any) -> dict[str, Any]:
    """The full JSON's key order, so that the two outputs also read the same as text."""
    return {k: value[k] for k in model.model_fields if k in value}
