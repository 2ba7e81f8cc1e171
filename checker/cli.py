"""The `shingikai` command: parse options, call the library, choose the exit code.

Exit codes: 0 report produced (lint: nothing at or above --fail-on), 1 lint findings,
2 invalid input, 3 broken rules or internal error. Never a traceback.
"""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Iterator, Optional

import typer

from .errors import InputError, RuleError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(help="個人情報保護審議会の諮問・報告案件を、過去の答申に照らして事前点検します。",
                  no_args_is_help=True, add_completion=False, rich_markup_mode=None)
rules_app = typer.Typer(help="ルール（知識ベース）の一覧・詳細・文書生成。", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


class CheckFormat(str, Enum):
    text = "text"
    md = "md"
    json = "json"


class ListFormat(str, Enum):
    text = "text"
    json = "json"


RulesOption = typer.Option(None, "--rules", help="自治体独自のルールを置いたフォルダ（繰り返し指定可）")


def err(message: str) -> None:
    typer.echo(message, err=True)


@contextmanager
def guarded() -> Iterator[None]:
    """Turn every failure into a Japanese message and an exit code."""
    try:
        yield
    except typer.Exit:
        raise
    except RuleError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_INTERNAL)
    except InputError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_INPUT)
    except Exception as exc:  # last resort: an internal error is still reported in Japanese
        err(f"内部エラーが発生しました（{type(exc).__name__}: {exc}）。この出力を添えて管理者に連絡してください。")
        raise typer.Exit(EXIT_INTERNAL)


def write_output(text: str, output: Optional[Path]) -> None:
    """Print, or write atomically (a temporary file renamed into place)."""
    if output is None:
        sys.stdout.write(text)
        return
    from .outputs import write_atomic
    write_atomic(output, text)


@app.command()
def check(
    files: list[Path] = typer.Argument(..., help="点検する案件ファイル（YAML）"),
    format: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="出力形式"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="出力先ファイル（省略時は画面）"),
    rules: Optional[list[Path]] = RulesOption,
) -> None:
    """案件ファイルを点検し、想定質問と必要な安全管理措置の報告を出力します。"""
    with guarded():
        from . import load_engine
        from .pipeline import check_file
        from .reporters import render_many
        engine = load_engine(rules)
        reports, failed = [], False
        for path in files:
            try:
                reports.append(check_file(path, engine))
            except InputError as exc:
                err(str(exc))
                failed = True
        for report in reports:
            for notice in report.notices:
                err(notice)
        if reports:
            write_output(render_many(format.value, reports), output)
        if failed:
            raise typer.Exit(EXIT_INPUT)


@app.command()
def schema(output: Optional[Path] = typer.Option(None, "--output", "-o", help="出力先ファイル")) -> None:
    """案件ファイルの JSON Schema を出力します（エディタの補完・検証用）。"""
    with guarded():
        from .schema import schema_text
        write_output(schema_text(), output)


@app.command()
def new(kind: str = typer.Option("outsourcing", "--kind", "-k", help="取扱いの種類")) -> None:
    """コメント付きの案件ファイルのひな形を出力します。"""
    from .scaffold import KINDS, template
    if kind not in KINDS:
        err(f"種類「{kind}」はありません。使える種類: {', '.join(KINDS)}")
        raise typer.Exit(EXIT_INPUT)
    typer.echo(template(kind), nl=False)


@rules_app.command("list")
def rules_list(format: ListFormat = typer.Option(ListFormat.text, "--format", "-f"),
               rules: Optional[list[Path]] = RulesOption) -> None:
    """ルールの一覧（ID・題名・論点・重要度・先例）を表示します。"""
    with guarded():
        from .catalogue import load_catalogue
        cat = load_catalogue(rules)
        if format is ListFormat.json:
            data = [{"id": r.id, "title": r.title, "topic": r.topic, "severity": r.severity,
                     "safeguards": r.safeguards,
                     "precedents": [p.model_dump() for p in r.precedents]} for r in cat.rules]
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for r in cat.rules:
            refs = "／".join(f"{p.source} {p.item}" for p in r.precedents)
            typer.echo(f"{r.id}\t{r.severity}\t{r.topic}\t{r.title}\t{refs}")


@rules_app.command("show")
def rules_show(rule_id: str = typer.Argument(..., help="ルール ID（例: TRN-001）"),
               rules: Optional[list[Path]] = RulesOption) -> None:
    """1 つのルールの内容（理由・質問・安全管理措置・先例）を表示します。"""
    with guarded():
        from .catalogue import load_catalogue
        from .docs import render_rule
        cat = load_catalogue(rules)
        if rule_id not in cat.by_id:
            import difflib
            close = difflib.get_close_matches(rule_id, list(cat.by_id), n=1)
            err(f"ルール {rule_id} はありません。" + (f"「{close[0]}」ではありませんか。" if close else ""))
            raise typer.Exit(EXIT_INPUT)
        typer.echo(render_rule(cat, cat.by_id[rule_id]))


@rules_app.command("docs")
def rules_docs(output: Path = typer.Option(Path("docs/rules.md"), "--output", "-o"),
               check_only: bool = typer.Option(False, "--check", help="書き出さずに、最新かどうかだけ確かめる")) -> None:
    """ルールの説明文書（docs/rules.md）をルールファイルから生成します。"""
    with guarded():
        from .catalogue import load_catalogue
        from .docs import render_docs
        text = render_docs(load_catalogue())
        if check_only:
            current = output.read_text(encoding="utf-8") if output.exists() else ""
            if current != text:
                err(f"{output} が古くなっています。`shingikai rules docs` で再生成してください。")
                raise typer.Exit(EXIT_FINDINGS)
            return
        write_output(text, output)
        err(f"{output} を書き出しました。")


def main() -> None:
    """Console entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err("中断しました。")
        sys.exit(130)
