"""The jinja2 environment for reports and generated docs (templates ship in checker/templates)."""
from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

import jinja2

from checker.reporters.office import wareki


@lru_cache(maxsize=2)
def environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("checker", "templates"),
        autoescape=autoescape, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        bytecode_cache=_compiled_templates(autoescape))
    env.filters["wareki"] = wareki
    return env


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled in an earlier run: jinja2 turns report.html.j2 into Python in every process
    otherwise, ~30 ms of a cold `check --format html`. jinja2 keys each entry by the template's name
    and path and drops it when the template's source changes. An entry that cannot be read or written
    only costs the compilation."""

    def __init__(self, folder: Path):
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            with open(self.folder / f"{bucket.key}.cache", "rb") as entry:
                bucket.load_bytecode(entry)
        except Exception:  # missing, unreadable, truncated or from other code: compile as usual
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            fd, tmp = tempfile.mkstemp(prefix=".template-", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as entry:
                    bucket.write_bytecode(entry)
                os.replace(tmp, self.folder / f"{bucket.key}.cache")  # readers never see half an entry
            finally:
                Path(tmp).unlink(missing_ok=True)
        except OSError:
            pass


def _compiled_templates(autoescape: bool) -> CompiledTemplates | None:
    """Beside the rule cache and under its rules (checker/core/cache.py): our own folder only, none
    with SHINGIKAI_NO_CACHE=1. One folder per jinja2 version and escaping, which the compiled code
    depends on and jinja2's keys leave out."""
    if os.environ.get("SHINGIKAI_NO_CACHE"):
        return None
    from checker.core.cache import cache_dir, trusted
    version = getattr(jinja2, "__version__", "unknown")
    try:
        folder = cache_dir() / "templates" / f"jinja2-{version}-{'html' if autoescape else 'text'}"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # no home, a read-only one, a file in the way
        return None
    return CompiledTemplates(folder) if trusted(folder) else None
