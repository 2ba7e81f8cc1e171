"""JSON: Report.as_records() as UTF-8 JSON (one object, or a list for several files)."""
from __future__ import annotations

from collections.abc import Sequence

from checker.core.findings import Report
from checker.reporters.jsonout import dumps  # json.dumps(..., ensure_ascii=False, indent=2), same text, faster


def render(reports: Sequence[Report]) -> str:
    if len(reports) == 1:
        return dumps(reports[0].as_records()) + "\n"
    return dumps([r.as_records() for r in reports]) + "\n"
