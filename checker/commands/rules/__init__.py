"""`shingikai rules`: the catalogue a command lists or shows, and the check of every rule's examples.

Calibration (`rules calibrate`) is rules/calibrate.py; the rule documents are rendered by
checker/reporters/rules/.
"""
from __future__ import annotations

import difflib
from pathlib import Path

from checker.core.catalogue import Catalogue, load_catalogue


def catalogue(rules_dirs: list[Path] | None = None) -> Catalogue:
    """The validated catalogue: the bundled rules plus a municipality's own folders (RuleError if broken),
    from the compiled-catalogue cache when the files are unchanged."""
    from checker.core.cache import cached_catalogue
    return cached_catalogue(rules_dirs)


def close_rule_id(cat: Catalogue, rule_id: str) -> str | None:
    """The rule id a mistyped one most likely meant."""
    close = difflib.get_close_matches(rule_id, list(cat.by_id), n=1)
    return close[0] if close else None


def verify_examples(rules_dirs: list[Path] | None = None) -> tuple[Catalogue, list[str]]:
    """The catalogue, and a Japanese line for every example that does not behave as its rule says."""
    from checker.core.engine import Engine  # only the examples run the engine (not `rules show` or `list`)
    from checker.core.examples import verify
    cat = load_catalogue(rules_dirs)
    return cat, verify(cat, Engine(cat))
