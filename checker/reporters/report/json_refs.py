"""Lighter JSON: as `json`, with the texts that come from the rule files said once in `references`
(checker/reporters/references.py). Several files share one table: {"reports": [...], "references": {...}}."""
from __future__ import annotations

from collections.abc import Sequence

from checker.core.findings import Report
from checker.reporters import references
from checker.reporters.jsonout import dumps


def render(reports: Sequence[Report]) -> str:
    table = references.empty()
    lifted = [references.lift(r.as_records(), table) for r in reports]
    table = references.merged([table])  # sorted by key, as lint writes it
    if len(lifted) == 1:
        return dumps({**lifted[0], "references": table}) + "\n"
    return dumps({"reports": lifted, "references": table}) + "\n"
