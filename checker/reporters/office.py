"""Office style for the human formats: dates in the Japanese era (和暦), as municipal documents write them.

JSON, SARIF and JUnit keep ISO dates; only what a person reads is written this way. The eras are
few and fixed, so a table serves better than a dependency.
"""
from __future__ import annotations

import datetime as dt

# (first day, name), newest first
ERAS = ((dt.date(2019, 5, 1), "令和"), (dt.date(1989, 1, 8), "平成"), (dt.date(1926, 12, 25), "昭和"),
        (dt.date(1912, 7, 30), "大正"), (dt.date(1868, 10, 23), "明治"))


def wareki(day: dt.date | None, missing: str = "") -> str:
    """2020-08-07 → 「令和2年8月7日」; the first year of an era is 元年; None → `missing`."""
    if day is None:
        return missing
    for start, name in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return f"{name}{'元' if year == 1 else year}年{day.month}月{day.day}日"
    return f"{day.year}年{day.month}月{day.day}日"
