"""Output formats. Each module renders one Report to text with `render(report) -> str`.

A new format is one module plus one line in FORMATS. Reporters only read the Report model.
"""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Callable

from checker.core.findings import Report
from checker.core.printable import visible

if TYPE_CHECKING:
    from checker.commands.lint.results import LintResults

# format name -> module under checker.reporters (imported only when used, for a fast start)
FORMATS = {"text": "text", "json": "json_report", "md": "markdown", "html": "html", "csv": "csv_report"}


# Formats read on a terminal: control characters from a proposal are shown escaped (printable.py)
FOR_TERMINALS = {"text"}


def renderer(name: str) -> Callable[[Report], str]:
    render = importlib.import_module(f"{__name__}.{FORMATS[name]}").render
    if name in FOR_TERMINALS:
        return lambda report: visible(render(report))
    return render


def render_many(name: str, reports: list[Report]) -> str:
    """Several reports in one output: the module's own render_many when it has one."""
    module = importlib.import_module(f"{__name__}.{FORMATS[name]}")
    if hasattr(module, "render_many"):
        text = module.render_many(reports)
    else:
        text = "\n".join(module.render(r) for r in reports)
    return visible(text) if name in FOR_TERMINALS else text


# `shingikai lint --format`: module under checker.reporters with
#   part(result: FileResult) -> P          what the format needs from one file (picklable: a pool
#                                          worker computes it, so the Report never travels back)
#   assemble(parts: list[P], summary: LintSummary) -> str
LINT_FORMATS = {"text": "lint_text", "json": "lint_json", "sarif": "sarif", "junit": "junit", "github": "github"}


def lint_reporter(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{LINT_FORMATS[name]}")


def render_lint(name: str, results: "LintResults") -> str:
    """One lint output from full results (the library's path; `shingikai lint` renders in workers)."""
    module = lint_reporter(name)
    return module.assemble([module.part(f) for f in results.files], results.summary())
