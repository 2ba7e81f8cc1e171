"""`shingikai check`: the given proposal files, each to a Report; bad files become errors beside them."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from checker.commands.files import check_each
from checker.core.engine import Engine
from checker.core.errors import InputError
from checker.core.findings import Report


class CheckRun(NamedTuple):
    reports: list[Report]
    errors: list[InputError]    # one per file that could not be checked, in the order given


def check_files(paths: Sequence[str | Path], engine: Engine, today: dt.date | None = None) -> CheckRun:
    reports: list[Report] = []
    errors: list[InputError] = []
    for checked in check_each(paths, engine, today):
        if checked.report is not None:
            reports.append(checked.report)
        if checked.error is not None:
            errors.append(checked.error)
    return CheckRun(reports, errors)
