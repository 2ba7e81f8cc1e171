"""`shingikai rules list --format json`: every rule's id, title, topic, severity, safeguards and sources."""
from __future__ import annotations

import json

from checker.core.catalogue import Catalogue


def render(catalogue: Catalogue) -> str:
    data = [{"id": r.id, "title": r.title, "topic": r.topic, "severity": r.severity, "safeguards": r.safeguards,
             "precedents": [p.model_dump() for p in r.precedents]} for r in catalogue.rules]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
