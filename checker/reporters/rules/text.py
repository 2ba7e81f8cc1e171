"""`shingikai rules list`: one tab-separated line per rule (id, severity, topic, title, sources)."""
from __future__ import annotations

from checker.core.catalogue import Catalogue


def render(catalogue: Catalogue) -> str:
    lines = []
    for r in catalogue.rules:
        refs = "／".join(f"{p.source} {p.item}" for p in r.precedents)
        lines.append(f"{r.id}\t{r.severity}\t{r.topic}\t{r.title}\t{refs}\n")
    return "".join(lines)
