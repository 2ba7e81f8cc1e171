"""Rule examples: partial proposals deep-merged over rules/example_base.yaml and checked."""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Iterator

import yaml

from checker.core.catalogue import Catalogue, Example, Rule

if TYPE_CHECKING:
    from checker.core.engine import Engine


def deep_merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """JSON Merge Patch (RFC 7386): mappings merge key by key, lists and scalars in the patch
    replace the base, and null removes the key (how an example leaves a section unstated)."""
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def example_yaml(catalogue: Catalogue, example: Example) -> str:
    """The full proposal text of an example, as a department would write it."""
    data = deep_merge(catalogue.example_base, example.proposal)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


def iter_examples(catalogue: Catalogue) -> Iterator[tuple[Rule, str, Example]]:
    """(rule, 'fires' | 'quiet', example) for every example in the catalogue."""
    for rule in catalogue.rules:
        for kind in ("fires", "quiet"):
            for example in getattr(rule.examples, kind):
                yield rule, kind, example


def fired_rules(catalogue: Catalogue, engine: "Engine", example: Example) -> set[str]:
    """The rule ids that held on an example proposal (every trigger of every finding)."""
    from checker.core.pipeline import check_text
    report = check_text(example_yaml(catalogue, example), f"<example {example.name}>", engine)
    return {rule_id for f in report.findings for rule_id in f.rules}


def verify(catalogue: Catalogue, engine: "Engine") -> list[str]:
    """Japanese descriptions of every example that does not behave as its rule says."""
    failures = []
    for rule, kind, example in iter_examples(catalogue):
        fired = rule.id in fired_rules(catalogue, engine, example)
        if kind == "fires" and not fired:
            failures.append(f"{catalogue.files[rule.id]}: {rule.id} の該当例「{example.name}」で発火しません。")
        if kind == "quiet" and fired:
            failures.append(f"{catalogue.files[rule.id]}: {rule.id} の非該当例「{example.name}」で発火します。")
    return failures
