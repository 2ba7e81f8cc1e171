"""Errors the user can act on: bad input files (exit 2) and broken rule files (exit 3)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from checker.core.printable import visible


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, at a position when there is one (1-based)."""

    message: str
    hint: str = ""
    line: int | None = None
    column: int | None = None

    def format(self, path: str | Path) -> str:
        where = str(path)
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        text = f"{where}: エラー: {self.message}"
        if self.hint:
            text += f"\n  → {self.hint}"
        return visible(text)  # messages quote the file's values


@dataclass
class InputError(Exception):
    """A proposal file that cannot be checked. The CLI exits with code 2."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.format(self.path) for p in self.problems)

    @property
    def first_line(self) -> int | None:
        return self.problems[0].line if self.problems else None


@dataclass
class RuleError(Exception):
    """A broken rule file or knowledge base. The CLI exits with code 3."""

    path: str
    message: str
    rule_id: str = ""

    def __str__(self) -> str:
        rule = f" (ルール {self.rule_id})" if self.rule_id else ""
        return f"{self.path}{rule}: ルールエラー: {self.message}"


class RuleErrors(RuleError):
    """Every problem found in the rule files at once (exit 3), in file order: within a rule, the
    rule's own fields and condition before what it refers to elsewhere (sources, safeguards)."""

    def __init__(self, errors: list[RuleError]) -> None:
        super().__init__(errors[0].path, errors[0].message, errors[0].rule_id)
        self.errors = errors

    def __str__(self) -> str:
        lines = [str(e) for e in self.errors]
        if len(self.errors) > 1:
            lines.append(f"ルールエラー {len(self.errors)} 件。上から順に直してください。")
        return "\n".join(lines)
