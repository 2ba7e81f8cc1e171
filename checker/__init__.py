"""shingikai-checker: pre-check proposals to a personal-information council against past rulings.

Public API (re-exported; imports stay lazy so that the CLI starts fast). Nothing inside the
package imports this module: the layout is core/ (proposal in, Report out), commands/ (one per
verb, each returning a model), reporters/<document>/<format>.py, shell/ (the process boundary)
and cli.py.

    load_engine(rules_dirs) -> Engine        compile the rule base once
    check(path, engine=None) -> Report       one proposal file to one Report
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from checker.version import __version__

if TYPE_CHECKING:
    from checker.core.engine import Engine
    from checker.core.findings import Report

__all__ = ["__version__", "check", "load_engine"]


def load_engine(rules_dirs: list[Path] | None = None) -> "Engine":
    from checker.core.cache import load_engine as load
    return load(rules_dirs)


def check(path: str | Path, engine: "Engine | None" = None) -> "Report":
    from checker.core.pipeline import check_file
    return check_file(path, engine or load_engine())
