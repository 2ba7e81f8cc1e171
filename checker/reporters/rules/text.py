"""`shingikai rules list`: one tab-separated line per rule (id, severity, topic, title, sources)."""
from __future__ import annotations

from checker.core.catalogue import Catalogue
from checker.core.regime import minutes_regime


def _regime(catalogue: Catalogue, key: str) -> str:
    """【旧条例下】 after minutes of a meeting held before the Act applied to local governments."""
    source = catalogue.sources.get(key)
    note = minutes_regime(source.date) if source is not None and source.kind == "minutes" else ""
    return f"【{note}】" if note else ""


def render(catalogue: Catalogue) -> str:
    lines = []
    for r in catalogue.rules:
        refs = "／".join(f"{p.source}{_regime(catalogue, p.source)} {p.item}" for p in r.precedents)
        lines.append(f"{r.id}\t{r.severity}\t{r.topic}\t{r.title}\t{refs}\n")
    return "".join(lines)
