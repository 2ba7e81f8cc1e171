"""A resubmission's diff as JSON (Diff.as_records())."""
from __future__ import annotations

import json

from checker.commands.diff import Diff


def render(diff: Diff) -> str:
    return json.dumps(diff.as_records(), ensure_ascii=False, indent=2) + "\n"
