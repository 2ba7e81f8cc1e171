"""The agenda sheet as JSON (Agenda.as_records())."""
from __future__ import annotations

import json

from checker.commands.agenda import Agenda


def render(agenda: Agenda) -> str:
    return json.dumps(agenda.as_records(), ensure_ascii=False, indent=2) + "\n"
