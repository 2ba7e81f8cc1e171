"""Output formats. Each module renders one Report to text with `render(report) -> str`.

A new format is one module plus one line in FORMATS. Reporters only read the Report model.
"""
from __future__ import annotations

import importlib
from typing import Callable

from ..findings import Report

# format name -> module under checker.reporters (imported only when used, for a fast start)
FORMATS = {"text": "text", "json": "json_report", "md": "markdown", "html": "html", "csv": "csv_report"}


def renderer(name: str) -> Callable[[Report], str]:
    return importlib.import_module(f"{__name__}.{FORMATS[name]}").render


def render_many(name: str, reports: list[Report]) -> str:
    """Several reports in one output: the module's own render_many when it has one."""
    module = importlib.import_module(f"{__name__}.{FORMATS[name]}")
    if hasattr(module, "render_many"):
        return module.render_many(reports)
    return "\n".join(module.render(r) for r in reports)


# `shingikai lint --format`: module under checker.reporters with render_lint(results: LintResults) -> str
LINT_FORMATS = {"text": "lint_text", "json": "lint_json", "sarif": "sarif", "junit": "junit", "github": "github"}


def render_lint(name: str, results: object) -> str:
    return importlib.import_module(f"{__name__}.{LINT_FORMATS[name]}").render_lint(results)
