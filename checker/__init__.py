"""shingikai-checker: pre-check proposals to a personal-information council against past rulings.

Public API (imports stay lazy so that the CLI starts fast):
    load_engine(rules_dirs) -> Engine        compile the rule base once
    check(path, engine=None) -> Report       one proposal file to one Report
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .engine import Engine
    from .findings import Report


def load_engine(rules_dirs: list[Path] | None = None) -> "Engine":
    from .cache import cached_catalogue  # validated catalogue, reused while rule files are unchanged
    from .engine import Engine
    return Engine(cached_catalogue(rules_dirs))


def check(path: str | Path, engine: "Engine | None" = None) -> "Report":
    from .pipeline import check_file
    return check_file(path, engine or load_engine())
