"""JSON: Report.as_records() as UTF-8 JSON (one object, or a list for several files)."""
from __future__ import annotations

import json

from ..findings import Report


def render(report: Report) -> str:
    return json.dumps(report.as_records(), ensure_ascii=False, indent=2) + "\n"


def render_many(reports: list[Report]) -> str:
    if len(reports) == 1:
        return render(reports[0])
    return json.dumps([r.as_records() for r in reports], ensure_ascii=False, indent=2) + "\n"
