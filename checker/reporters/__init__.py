"""Output formats, one module per document and format: checker/reporters/<document>/<format>.py.

FORMATS is the one registry: the CLI builds every `--format` choice from it, and a parametrised
test demands a golden file for each entry. A new format is one module and one line here.

What a module provides depends on the document it renders:
- report, agenda, diff, rules:  render(subject) -> str, where the subject is a list of Reports,
  an Agenda, a Diff or the rule Catalogue;
- lint:  part(result: FileResult) -> P, what the format needs from one file (picklable: a pool
  worker computes it, so the Report never travels back), and assemble(parts, summary) -> str, or
  an iterator of its pieces (the structured formats, written one file at a time: lint/pieces.py).
Formats read on a terminal or a CI log show control characters from a proposal escaped
(checker/core/printable.py); each such module does it itself.
Modules are imported only when used, so the CLI starts fast.
"""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checker.commands.lint.results import LintResults

# document -> format name -> module under checker.reporters (the first format is the default)
FORMATS: dict[str, dict[str, str]] = {
    "report": {"text": "report.text", "md": "report.md", "json": "report.json", "json_refs": "report.json_refs",
               "html": "report.html", "csv": "report.csv", "draft_md": "report.draft_md",
               "draft_html": "report.draft_html"},
    "lint": {"text": "lint.text", "json": "lint.json", "json_refs": "lint.json_refs", "sarif": "lint.sarif",
             "junit": "lint.junit", "github": "lint.github"},
    "agenda": {"text": "agenda.text", "md": "agenda.md", "html": "agenda.html", "json": "agenda.json"},
    "diff": {"text": "diff.text", "md": "diff.md", "json": "diff.json"},
    "rules": {"text": "rules.text", "json": "rules.json"},
}


def names(document: str) -> list[str]:
    """The format names of a document, the default first."""
    return list(FORMATS[document])


def reporter(document: str, name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{FORMATS[document][name]}")


def render(document: str, name: str, subject: Any) -> str:
    """One document in one format (not lint: see render_lint)."""
    return reporter(document, name).render(subject)


def render_lint(name: str, results: "LintResults") -> str:
    """One lint output from full results (the library's path; `shingikai lint` renders in workers)."""
    module = reporter("lint", name)
    text = module.assemble([module.part(f) for f in results.files], results.summary())
    return text if isinstance(text, str) else "".join(text)  # some formats assemble piece by piece
