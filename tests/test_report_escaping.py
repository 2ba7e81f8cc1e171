"""Hostile text in every free-text field of a proposal must not inject markup or formulas.

The proposal is generated from the JSON Schema: every string field (that is not an enum, a date or
a catalogue id) gets a hostile string tagged with its own path, so a field added later is covered.
"""
from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from checker.commands.schema import schema_text
from checker.core.pipeline import check_file
from checker.reporters import render

HOSTILE = "=cmd|' /C calc'!A0 <script>alert(\"x\")</script> \"quoted' & <b>bold</b> --><img src=x onerror=alert(1)>"
# Strings that are ids checked against the catalogue, not free text.
CATALOGUE_IDS = {("safeguards",), ("accepted_risks", "rule")}


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        return defs[node["$ref"].split("/")[-1]]
    options = [o for o in node.get("anyOf", []) if o.get("type") != "null"]
    if options:  # prefer the structured form (e.g. a data item as an object, to reach its note)
        return _resolve(next((o for o in options if "$ref" in o), options[0]), defs)
    return node


def build(node: dict[str, Any], defs: dict[str, Any], path: tuple[str, ...], fields: list[str]) -> Any:
    node = _resolve(node, defs)
    if "enum" in node:
        return node["enum"][0]
    if "oneOf" in node and all("const" in o for o in node["oneOf"]):  # safeguard and rule ids of the catalogue
        return node["oneOf"][0]["const"]
    kind = node.get("type")
    if kind == "object":
        return {k: build(v, defs, path + (k,), fields) for k, v in node.get("properties", {}).items()}
    if kind == "array":
        return [build(node["items"], defs, path, fields)]
    if kind == "string":
        if node.get("format") == "date":
            # plausible and in order (checker/core/plausibility.py): the meeting after the comment
            # period, an acceptance that has not expired
            return {"meeting_date": "2025-06-01", "until": "2030-01-01"}.get(path[-1], "2025-01-01")
        if "pattern" in node:
            return node["pattern"].strip("^$()").split("|")[0]
        fields.append(".".join(path))
        return f"{HOSTILE} @{'.'.join(path)}"
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return 1
    raise AssertionError(f"unexpected schema node at {path}: {node}")


def hostile_proposal(tmp_path: Path, accept: str | None = None) -> tuple[Path, list[str]]:
    schema = json.loads(schema_text())
    fields: list[str] = []
    data = build(schema, schema["$defs"], (), fields)
    data["procedure"], data["safeguards"] = "consultation", []
    data["accepted_risks"] = [{**data["accepted_risks"][0], "rule": accept}] if accept else []
    fields = [f for f in fields if tuple(f.split(".")) not in CATALOGUE_IDS]
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, fields


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _report(tmp_path: Path, engine):
    path, fields = hostile_proposal(tmp_path)
    first = check_file(path, engine)
    assert first.findings, "the hostile proposal should trigger rules, so that findings carry its text"
    path, fields = hostile_proposal(tmp_path, accept=first.findings[0].rule_id)
    return check_file(path, engine), fields


def test_every_free_text_field_is_hostile(tmp_path: Path) -> None:
    _, fields = hostile_proposal(tmp_path)
    print(f"\n悪意ある文字列を入れた自由記述欄: {len(fields)} 個")
    for expected in ("title", "municipality", "department", "business", "purpose", "vendors.name",
                     "subjects.name", "accepted_risks.reason", "accepted_risks.approved_by", "id"):
        assert expected in fields


def test_html_report_escapes_hostile_text(tmp_path: Path, engine) -> None:
    report, _ = _report(tmp_path, engine)
    html = render("report", "html", [report])
    parsed = _Collector()
    parsed.feed(html)
    assert parsed.tags.isdisjoint({"script", "img", "b", "iframe", "object"}), parsed.tags
    assert not any(a.startswith("on") for a in parsed.attrs), parsed.attrs
    assert "&amp;lt;" not in html, "text must be escaped once, not twice"
    # The title also stands in the stylesheet (printed page header) and must not end the <style> block.
    assert html.lower().count("</style") == 1 and html.lower().count("<style") == 1
    shown = "".join(parsed.text)
    # What a reader sees is the department's text, character for character.
    for field in ("title", "municipality", "department", "business", "purpose", "accepted_risks.reason"):
        assert f"{HOSTILE} @{field}" in shown, field
    assert html.count("&lt;script&gt;") >= 6


def test_markdown_report_neutralises_hostile_text(tmp_path: Path, engine) -> None:
    report, _ = _report(tmp_path, engine)
    md = render("report", "md", [report])
    assert "<script" not in md and "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;" in md
    # A | in the department's text must not split a table row into extra cells.
    row = next(line for line in md.splitlines() if line.startswith("| 対象業務 |"))
    assert row.count("|") - row.count("\\|") == 3


def test_csv_action_plan_keeps_text_and_blocks_formulas(tmp_path: Path, engine) -> None:
    report, _ = _report(tmp_path, engine)
    text = render("report", "csv", [report])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert len(rows) > 1
    for row in rows[1:]:
        assert len(row) == len(rows[0])
        assert row[1] == "'" + f"{HOSTILE} @title"   # the title, kept whole, cannot run as a formula
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
