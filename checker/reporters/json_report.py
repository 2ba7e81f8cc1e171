"""JSON: Report.as_records() as UTF-8 JSON (one object, or a list for several files)."""
from __future__ import annotations

from checker.core.findings import Report
from checker.jsonout import dumps  # json.dumps(..., ensure_ascii=False, indent=2), same text, faster


def render(report: Report) -> str:
    return dumps(report.as_records()) + "\n"


def render_many(reports: list[Report]) -> str:
    if len(reports) == 1:
        return render(reports[0])
    return dumps([r.as_records() for r in reports]) + "\n"
