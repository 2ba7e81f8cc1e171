"""Pretty JSON, byte for byte what json.dumps(obj, ensure_ascii=False, indent=2) writes, faster.

With `indent`, the standard library encodes in pure Python: about 1 ms for one report, as much
as parsing the proposal. pydantic-core's encoder (Rust) writes the same text for the values a
report holds (str, int, bool, None, lists, dicts with str keys) in a quarter of the time. Floats
and anything else it might spell differently (1e-07 vs 1e-7, NaN, int keys) go to json.dumps.
"""
from __future__ import annotations

import json
from typing import Any

try:
    from pydantic_core import to_json as _to_json
except ImportError:  # pragma: no cover - pydantic is a dependency
    _to_json = None

_MAX_INT = 2**63 - 1


def _plain(value: Any) -> bool:
    """Only types both encoders spell the same way (a loop, not recursion: SARIF of 500 files
    has ~400,000 values, and one call per value was half the cost of writing it)."""
    stack = [value]
    pop, push = stack.pop, stack.extend
    while stack:
        v = pop()
        kind = type(v)
        if kind is str or kind is bool or v is None:
            continue
        if kind is int:
            if not -_MAX_INT <= v <= _MAX_INT:
                return False
        elif kind is list:
            push(v)
        elif kind is dict:
            for k in v:
                if type(k) is not str:
                    return False
            push(v.values())
        else:
            return False
    return True


def dumps(value: Any) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2)."""
    if _to_json is not None and _plain(value):
        try:
            return _to_json(value, indent=2).decode("utf-8")
        except (ValueError, UnicodeError):  # e.g. a lone surrogate: let json.dumps spell it
            pass
    return json.dumps(value, ensure_ascii=False, indent=2)
