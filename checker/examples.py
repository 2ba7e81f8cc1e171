"""Rule examples: partial proposals deep-merged over rules/example_base.yaml and checked."""
from __future__ import annotations

import copy
from typing import Any, Iterator

import yaml

from .catalogue import Catalogue, Example, Rule


def deep_merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Mappings merge key by key; lists and scalars in the patch replace the base."""
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
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
