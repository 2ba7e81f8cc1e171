"""The jinja2 environment for reports and generated docs (templates ship in checker/templates)."""
from __future__ import annotations

from functools import lru_cache

import jinja2

from checker.reporters.office import wareki


@lru_cache(maxsize=2)
def environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("checker", "templates"),
        autoescape=autoescape, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters["wareki"] = wareki
    return env
