"""The package's layout, checked on its import graph (every import, also those inside functions).

core/ (proposal in, Report out) ← commands/ (one per verb, each returning a model) ← reporters/
(<document>/<format>.py) ← cli.py. Imports only go down that flow; shell/ (the process boundary)
and the leaf modules version.py and exit_codes.py may be used from above them.
"""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from checker.reporters import FORMATS, reporter

PACKAGE = Path(__file__).resolve().parent.parent / "checker"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[str, int]]:
    """(imported module or package, line) for every import in a module; `from X import y` gives X.y
    when X.y is a module, so importing a submodule through its package counts as importing it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.append((full if full in MODULES else base, node.lineno))
    return found


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


def edges(prefix: str) -> list[tuple[str, str, int]]:
    return [(src, dst, line) for src, targets in GRAPH.items() if src == prefix or src.startswith(prefix + ".")
            for dst, line in targets]


def within(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def test_core_imports_nothing_above_it() -> None:
    wrong = [(s, d, n) for s, d, n in edges("checker.core")
             if within(d, "checker.commands", "checker.reporters", "checker.shell", "checker.cli")]
    assert not wrong, wrong


def test_commands_import_no_reporter_and_no_typer() -> None:
    wrong = [(s, d, n) for s, d, n in edges("checker.commands")
             if within(d, "checker.reporters", "checker.cli", "typer", "click")]
    assert not wrong, wrong


def test_reporters_render_models_and_never_parse_options() -> None:
    wrong = [(s, d, n) for s, d, n in edges("checker.reporters") if within(d, "checker.cli", "typer", "click")]
    assert not wrong, wrong


def test_only_the_engine_module_imports_durable_rules() -> None:
    users = {s for s, d, _ in edges("checker") if within(d, "durable", "durable_rules", "durable_rules_engine")}
    assert users == {"checker.core.engine"}


def test_nothing_inside_the_package_imports_its_face() -> None:
    wrong = [(s, n) for s, d, n in edges("checker") if d == "checker" and s != "checker"]
    assert not wrong, "checker/__init__.py only re-exports; import the defining module instead: " + repr(wrong)


def cycles_in(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle a depth-first walk meets, as the modules along it."""
    cycles: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    return cycles


def test_the_cycle_finder_finds_cycles() -> None:
    assert cycles_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles_in({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycles() -> None:
    graph = {src: {d for d, _ in targets if d in MODULES and d != src} for src, targets in GRAPH.items()}
    # Importing checker.a.b first runs checker/a/__init__.py, so an edge to a module is also an edge
    # to the packages above it (but checker itself, which only re-exports, and the importer's own).
    for src, targets in graph.items():
        for dst in list(targets):
            parent = dst.rpartition(".")[0]
            while parent and parent != "checker":
                if parent != src and not src.startswith(parent + "."):
                    targets.add(parent)
                parent = parent.rpartition(".")[0]
    assert not cycles_in(graph), cycles_in(graph)


@pytest.mark.parametrize("document,name", [(d, n) for d, formats in FORMATS.items() for n in formats])
def test_every_registered_format_is_a_module_with_the_documents_interface(document: str, name: str) -> None:
    module = reporter(document, name)
    expected = ("part", "assemble") if document == "lint" else ("render",)
    assert all(callable(getattr(module, f, None)) for f in expected), f"{module.__name__} lacks {expected}"
    assert module.__name__ == f"checker.reporters.{document}.{name}"


def test_every_reporter_module_is_registered_or_shared() -> None:
    """A format module nobody can choose is dead code; shared helpers and the generated documents
    (docs/rules.md, docs/facts.md) are named as such. The workbench's pages (reporters/serve, used by
    checker/web.py) are not a `--format` of any command but what `shingikai serve` shows."""
    registered = {f"checker.reporters.{m}" for formats in FORMATS.values() for m in formats.values()}
    # draft: the PIA review result's view; serve/pages: what `shingikai serve` shows
    shared = {"common", "view", "draft", "__init__", "templating", "jsonout", "docs", "facts", "office", "serve", "pages", "references", "pieces"}
    stray = [m for m in MODULES if m.startswith("checker.reporters.") and m not in registered
             and m.rpartition(".")[2] not in shared and m.rpartition(".")[2] not in FORMATS]
    assert not stray, stray


def test_the_cli_builds_format_choices_from_the_registry() -> None:
    cli = importlib.import_module("checker.cli")
    for enum, document in ((cli.CheckFormat, "report"), (cli.LintFormat, "lint"), (cli.AgendaFormat, "agenda"),
                           (cli.DiffFormat, "diff"), (cli.ListFormat, "rules")):
        assert [member.value for member in enum] == list(FORMATS[document])
