"""The `shingikai` command: parse options, call a command (checker/commands/), render its model with
the chosen reporter (checker/reporters/) and choose the exit code (checker/exit_codes.py).

Every `--format` choice comes from the one registry, checker/reporters/FORMATS. Never a traceback.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from checker.core.errors import InputError, RuleError
from checker.exit_codes import (EXIT_BROKEN_PIPE, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK,
                                STOPPED)
from checker.reporters import names, render, reporter


class RepeatedOption(Exception):
    """A single-value option given twice (`--kind a --kind b`): click would keep the last one silently.
    Told in Japanese like click's usage errors (checker/shell/usage.py), exit code 2."""

    exit_code = EXIT_INPUT

    def __init__(self, ctx: Any, param: Any):
        super().__init__(param.name)
        self.ctx, self.param = ctx, param

    def format_message(self) -> str:
        return f"{self.param.name} repeated"


class SingleValues(TyperCommand):
    """A command whose options that take one value refuse to be given twice."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not ctx.resilient_parsing:
            try:  # a dry run of click's own parser: its order lists each option once per use
                _, _, order = self.make_parser(ctx).parse_args(args=list(args))
            except Exception:  # a malformed command line: click's own parse below reports it
                order = []
            for param in order:
                if (getattr(param, "param_type_name", "") == "option" and not param.multiple
                        and not param.is_flag and order.count(param) > 1):
                    raise RepeatedOption(ctx, param)
        return super().parse_args(ctx, args)


app = typer.Typer(help="個人情報保護審議会の諮問・報告案件を、過去の答申に照らして事前点検します。",
                  no_args_is_help=True, add_completion=False, rich_markup_mode=None)
rules_app = typer.Typer(help="ルール（知識ベース）の一覧・詳細・文書生成。", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


def format_choices(document: str) -> type[Enum]:
    """The `--format` choices of a document, as the enum typer wants, from the reporters' registry."""
    return Enum(f"{document.title()}Format", {name: name for name in names(document)}, type=str)


CheckFormat, LintFormat, AgendaFormat, DiffFormat, ListFormat = (
    format_choices(d) for d in ("report", "lint", "agenda", "diff", "rules"))


# readable=False: an unreadable path is the loader's to report (in Japanese, per file), not click's
PathsArgument = typer.Argument(..., help="案件ファイルまたはフォルダ（フォルダは *.yaml / *.yml を再帰的に探します）", readable=False)
# Text, not Path: `-o reports/` must reach outputs.py with its "/" (a folder was meant), which Path drops
OutputOption = typer.Option(None, "--output", "-o", help="出力先ファイル（省略時は画面）")
RulesOption = typer.Option(None, "--rules", help="自治体独自のルールを置いたフォルダ（繰り返し指定可）", readable=False)


def err(message: str) -> None:
    typer.echo(message, err=True)


@contextmanager
def guarded() -> Iterator[None]:
    """Turn every failure into a Japanese message and an exit code."""
    try:
        yield
    except typer.Exit:
        raise
    except BrokenPipeError:  # the reader went away (`| head`): nothing left to say, no one to say it to
        raise typer.Exit(EXIT_BROKEN_PIPE)
    except RuleError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_INTERNAL)
    except InputError as exc:
        err(str(exc))
        raise typer.Exit(EXIT_INPUT)
    except Exception as exc:  # last resort: an internal error is still reported in Japanese
        err(f"内部エラーが発生しました（{type(exc).__name__}: {exc}）。この出力を添えて管理者に連絡してください。")
        raise typer.Exit(EXIT_INTERNAL)


def write_output(text: str | Iterable[str], output: Optional[str | Path]) -> None:
    """Print (no output, or `-o -`), or write safely (checker/shell/outputs.py); a failed write is an
    input error naming the path. `text` may come in pieces (a folder's lint JSON): written as they come."""
    if output is None or str(output) == "-":
        for piece in [text] if isinstance(text, str) else text:
            sys.stdout.write(piece)
        return
    from checker.shell.outputs import output_error, write_atomic
    try:
        write_atomic(output, text)
    except OSError as exc:
        raise output_error(output, exc) from None


def write_generated(text: str, output: str | Path, check_only: bool, command: str) -> None:
    """Write a generated file, or with --check only say whether the committed one is current (exit 1)."""
    if check_only:
        current = Path(output).read_text(encoding="utf-8") if Path(output).exists() else ""
        if current != text:
            err(f"{output} が古くなっています。`shingikai {command}` で作り直してください。")
            raise typer.Exit(EXIT_FINDINGS)
        return
    write_output(text, output)
    if str(output) != "-":
        err(f"{output} を書き出しました。")


def refuse_unsafe_outputs(outputs: list[Any], proposals: Any = (), rules: Optional[list[Path]] = None,
                          bundled: bool = False, others: Any = ()) -> None:
    """Inputs are never overwritten and no file is written twice (checker/shell/targets.py): an
    output that is a proposal, a rule file (of --rules folders, or the bundled ones the command
    reads), or another input (baseline, council record) is an input error, before any work is done."""
    from checker.shell import targets
    read = [*targets.inputs(proposals, "案件ファイル"), *targets.inputs(targets.folder_files(rules), "ルールファイル"),
            *others]
    if bundled:
        from checker.core.catalogue import bundled_rules_dir
        read += targets.inputs(targets.folder_files([bundled_rules_dir()]), "ルールファイル")
    targets.check_outputs([o if isinstance(o, targets.Output) else targets.Output(o) for o in outputs], read)


@app.command(cls=SingleValues)
def check(
    files: list[Path] = typer.Argument(..., help="点検する案件ファイル（YAML）", readable=False),
    format: CheckFormat = typer.Option(CheckFormat("text"), "--format", "-f", help="出力形式"),
    output: Optional[str] = OutputOption,
    rules: Optional[list[Path]] = RulesOption,
) -> None:
    """案件ファイルを点検し、想定質問と必要な安全管理措置の報告を出力します。"""
    with guarded():
        refuse_unsafe_outputs([output], files, rules)
        from checker.commands.check import check_files
        from checker.core.cache import load_engine
        run = check_files(files, load_engine(rules))
        for error in run.errors:
            err(str(error))
        for report in run.reports:
            for notice in report.notices:
                err(notice)
        if run.reports:
            write_output(render("report", format.value, run.reports), output)
        if run.errors:
            raise typer.Exit(EXIT_INPUT)


@app.command(cls=SingleValues)
def schema(output: Optional[str] = OutputOption,
           rules: Optional[list[Path]] = typer.Option(None, "--rules", help="自治体独自のルールのフォルダ（その措置 ID・ルール ID も補完候補に含める）"),
           record: bool = typer.Option(False, "--record", help="審議会の記録ファイル（shingikai record）のスキーマを出力する")) -> None:
    """案件ファイルの JSON Schema を出力します（エディタの補完・検証用。措置 ID・ルール ID を列挙）。"""
    with guarded():
        refuse_unsafe_outputs([output], rules=rules)
        from checker.commands.schema import record_schema_text, schema_text
        write_output(record_schema_text() if record else schema_text(rules), output)


class RecordedOutcome(str, Enum):
    approved = "approved"
    approved_with_conditions = "approved_with_conditions"
    deferred = "deferred"
    noted = "noted"


class DeferralReason(str, Enum):
    time = "time"
    material = "material"


@app.command(cls=SingleValues)
def record(
    record_file: Path = typer.Argument(..., help="審議会の記録ファイル（YAML。なければ作る）", readable=False),
    proposal: Path = typer.Option(..., "--proposal", "-p", help="審議した案件ファイル", readable=False),
    meeting: str = typer.Option(..., "--meeting", help="会議の名前（例: 令和7年度第1回）"),
    date: Optional[str] = typer.Option(None, "--date", help="開催日（YYYY-MM-DD）"),
    council: Optional[str] = typer.Option(None, "--council", help="審議会の名前（記録ファイルを新しく作るとき）"),
    raised: Optional[list[str]] = typer.Option(None, "--raised", help="審議会が取り上げた指摘のルール ID か論点コード（繰り返し指定可）"),
    unpredicted: Optional[list[str]] = typer.Option(None, "--unpredicted", help="どの指摘も予測しなかった質問「論点コード:質問の要旨」（繰り返し指定可）"),
    outcome: Optional[RecordedOutcome] = typer.Option(None, "--outcome", help="結果"),
    deferral_reason: Optional[DeferralReason] = typer.Option(None, "--deferral-reason", help="継続審議の理由"),
    minutes: Optional[int] = typer.Option(None, "--minutes", min=0, help="審議に使った時間（分）"),
    rules: Optional[list[Path]] = RulesOption,
) -> None:
    """審議会が案件ごとに何を問うたかを記録ファイルに追記します（rules calibrate --records の入力）。"""
    with guarded():
        import datetime as dt
        from checker.shell.targets import Output
        # the record file is read and rewritten with the new item: only the proposal and rules must not be it
        refuse_unsafe_outputs([Output(record_file, "記録ファイル（1 つ目の引数）")], [proposal], rules)
        try:
            day = dt.date.fromisoformat(date) if date else None
        except ValueError:
            err(f"エラー: --date「{date}」は日付として読めません。\n  → 2025-05-20 のように YYYY-MM-DD で指定してください。")
            raise typer.Exit(EXIT_INPUT)
        from checker.commands.record import add_item
        from checker.core.cache import load_engine
        update = add_item(record_file, proposal, load_engine(rules), meeting=meeting, date=day, council=council,
                          raised=raised or [], unpredicted=unpredicted or [],
                          outcome=outcome.value if outcome else None,
                          deferral_reason=deferral_reason.value if deferral_reason else None, minutes=minutes)
        write_output(update.text, record_file)
        verb = "置き換えました" if update.replaced else "追記しました"
        err(f"{record_file}: {update.meeting} に {update.item.proposal} を{verb}（取り上げた{len(update.item.raised)}件、"
            f"取り上げなかった指摘{len(update.item.not_raised)}件、予測になかった質問{len(update.item.unpredicted)}件。"
            f"記録は全{update.record.items}案件）。")


@app.command(cls=SingleValues)
def new(kind: str = typer.Option("outsourcing", "--kind", "-k", help="取扱いの類型"),
        output: Optional[str] = OutputOption) -> None:
    """コメント付きの案件ファイルのひな形を出力します。"""
    from checker.commands.new import KINDS, template
    if kind not in KINDS:
        err(f"エラー: 種類「{kind}」はありません。\n  → --kind には {', '.join(KINDS)} のいずれかを指定してください。")
        raise typer.Exit(EXIT_INPUT)
    with guarded():
        write_output(template(kind), output)


@rules_app.command("list", cls=SingleValues)
def rules_list(format: ListFormat = typer.Option(ListFormat("text"), "--format", "-f", help="出力形式"),
               rules: Optional[list[Path]] = RulesOption) -> None:
    """ルールの一覧（ID・題名・論点・重要度・先例）を表示します。"""
    with guarded():
        from checker.commands.rules import catalogue
        write_output(render("rules", format.value, catalogue(rules)), None)


@rules_app.command("show", cls=SingleValues)
def rules_show(rule_id: str = typer.Argument(..., help="ルール ID（例: TRN-001）"),
               rules: Optional[list[Path]] = RulesOption) -> None:
    """1 つのルールの内容（理由・質問・安全管理措置・先例）を表示します。"""
    with guarded():
        from checker.commands.rules import catalogue, close_rule_id
        from checker.reporters.rules.docs import render_rule
        cat = catalogue(rules)
        if rule_id not in cat.by_id:
            close = close_rule_id(cat, rule_id)
            err(f"ルール {rule_id} はありません。" + (f"「{close}」ではありませんか。" if close else ""))
            raise typer.Exit(EXIT_INPUT)
        typer.echo(render_rule(cat, cat.by_id[rule_id]))


@rules_app.command("lint", cls=SingleValues)
def rules_lint(rules: Optional[list[Path]] = RulesOption) -> None:
    """ルールファイルを検証し、各ルールの該当例・非該当例が期待どおりか確かめます。"""
    with guarded():
        from checker.commands.rules import verify_examples
        cat, failures = verify_examples(rules)
        for failure in failures:
            err(failure)
        if failures:
            raise typer.Exit(EXIT_INTERNAL)
        checked = sum(s.satisfied_by is not None for s in cat.safeguards.values())
        typer.echo(f"{len(cat.rules)} 件のルールと、{checked} 件の安全管理措置の satisfied_by を検証しました。すべての例が期待どおりです。")


@rules_app.command("calibrate", cls=SingleValues)
def rules_calibrate(
    seeds: Path = typer.Option(Path("proposals/seeds"), "--seeds", help="会議録から再構成した案件のフォルダ"),
    gold: Path = typer.Option(Path("tests/seeds/gold.yaml"), "--gold", help="各案件で審議会が取り上げた論点の記録"),
    output: Optional[str] = typer.Option(None, "--output", "-o",
                                         help="出力先（既定 rules/likelihood.yaml。--records では必須: 市のルール/calibration.yaml）"),
    check_only: bool = typer.Option(False, "--check", help="書き出さずに、最新かどうかだけ確かめる"),
    records: Optional[Path] = typer.Option(None, "--records", help="審議会の記録ファイル（shingikai record）のフォルダ。"
                                           "この審議会向けの較正ファイルを作る", readable=False),
    rules: Optional[list[Path]] = RulesOption,
) -> None:
    """指摘ごとの「問われる見込み」を会議録の記録から計算し直します（rules/likelihood.yaml、または審議会の記録から較正ファイル）。"""
    with guarded():
        from checker.commands.rules.calibrate import calibrated_text
        from checker.core.cache import load_engine
        if records is not None:
            _calibrate_council(records, output, check_only, rules)
            return
        output = output or "rules/likelihood.yaml"
        for path in (seeds, gold):
            if not path.exists():
                err(f"{path}: エラー: 見つかりません。\n  → --seeds と --gold に会議録の案件フォルダと記録ファイルを指定してください。")
                raise typer.Exit(EXIT_INPUT)
        from checker.commands.files import discover
        from checker.core.catalogue import bundled_rules_dir
        from checker.shell.targets import Input, folder_files
        # rules/likelihood.yaml is what this command exists to rewrite; every other rule file is read
        kept = [Input(p, "ルールファイル") for p in folder_files([bundled_rules_dir()]) if p.name != "likelihood.yaml"]
        if not check_only:
            refuse_unsafe_outputs([output], discover([seeds]), rules, others=[Input(gold, "会議録の記録"), *kept])
        write_generated(calibrated_text(seeds, gold, load_engine(rules)), output, check_only, "rules calibrate")


def _calibrate_council(records: Path, output: Optional[str], check_only: bool, rules: Optional[list[Path]]) -> None:
    """`rules calibrate --records`: a council's own calibration file, never the bundled figures."""
    from checker.commands.rules.calibrate import council_calibration_text
    from checker.core.cache import load_engine
    from checker.core.catalogue import CALIBRATION_FILE, bundled_rules_dir
    if not records.is_dir():
        err(f"{records}: エラー: 記録のフォルダが見つかりません。\n  → --records には `shingikai record` で作った記録ファイルのフォルダを指定してください。")
        raise typer.Exit(EXIT_INPUT)
    if output is None or Path(output).resolve().parent == bundled_rules_dir().resolve():
        err("エラー: 審議会の較正ファイルの出力先がないか、同梱のルールのフォルダです（同梱の数値は変えません）。\n"
            f"  → --output 市のルール/{CALIBRATION_FILE} のように、その審議会の --rules フォルダを指定してください。")
        raise typer.Exit(EXIT_INPUT)
    if Path(output).name != CALIBRATION_FILE:
        err(f"注意: check・lint・agenda が --rules のフォルダから読むのは {CALIBRATION_FILE} という名前のファイルです。")
    if not check_only:  # the calibration file is this command's to rewrite; the records and the rules are read
        from checker.shell.targets import Input, folder_files, inputs
        own = [Input(p, "ルールファイル") for p in folder_files(rules) if p.name != CALIBRATION_FILE]
        refuse_unsafe_outputs([output], others=[*inputs(folder_files([records]), "審議会の記録"), *own])
    write_generated(council_calibration_text(records, load_engine(rules)), output, check_only, "rules calibrate --records")


@rules_app.command("docs", cls=SingleValues)
def rules_docs(output: str = typer.Option("docs/rules.md", "--output", "-o"),
               check_only: bool = typer.Option(False, "--check", help="書き出さずに、最新かどうかだけ確かめる")) -> None:
    """ルールの説明文書（docs/rules.md）をルールファイルから生成します。"""
    with guarded():
        from checker.commands.rules import catalogue
        from checker.reporters.rules.docs import render_docs
        if not check_only:
            refuse_unsafe_outputs([output], bundled=True)
        write_generated(render_docs(catalogue()), output, check_only, "rules docs")


@rules_app.command("facts", cls=SingleValues)
def rules_facts(output: str = typer.Option("docs/facts.md", "--output", "-o"),
                check_only: bool = typer.Option(False, "--check", help="書き出さずに、最新かどうかだけ確かめる")) -> None:
    """ルールの条件で使えるファクトの型と項目の一覧（docs/facts.md）を生成します。"""
    with guarded():
        from checker.commands.rules import catalogue
        from checker.reporters.rules.facts import render_facts
        if not check_only:
            refuse_unsafe_outputs([output], bundled=True)
        write_generated(render_facts(catalogue()), output, check_only, "rules facts")


@rules_app.command("schema", cls=SingleValues)
def rules_schema(output: str = typer.Option("schema/rule.schema.json", "--output", "-o"),
                 check_only: bool = typer.Option(False, "--check", help="書き出さずに、最新かどうかだけ確かめる")) -> None:
    """ルールファイルの JSON Schema（schema/rule.schema.json、エディタの補完用）を生成します。"""
    with guarded():
        from checker.commands.schema import rule_schema_text
        if not check_only:
            refuse_unsafe_outputs([output], bundled=True)
        write_generated(rule_schema_text(), output, check_only, "rules schema")


class FailOn(str, Enum):
    high = "high"
    medium = "medium"
    low = "low"
    none = "none"


@app.command(cls=SingleValues)
def lint(
    paths: list[Path] = PathsArgument,
    format: Optional[list[LintFormat]] = typer.Option(
        None, "--format", "-f", help="出力形式（繰り返し指定可。n 番目の --output と対になる）"),
    output: Optional[list[str]] = typer.Option(None, "--output", "-o", help="出力先ファイル（--format と同じ順に）"),
    fail_on: FailOn = typer.Option(FailOn.high, "--fail-on", help="この重要度以上の未対応の指摘があれば終了コード 1"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="記録済みの指摘を除き、新しい指摘だけを報告する", readable=False),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="今の未対応の指摘をベースラインとして記録する", readable=False),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="並列プロセス数（0: 50 ファイルを超えると全コア）"),
    rules: Optional[list[Path]] = RulesOption,
) -> None:
    """フォルダの案件ファイルをまとめて点検します（CI 向け: SARIF・JUnit・GitHub 注釈、終了コード 0/1/2/3）。"""
    with guarded():
        formats = [f.value for f in (format or [LintFormat("text")])]
        outputs: list[Optional[str | Path]] = [None if o == "-" else o for o in (output or [])]
        if len(outputs) > len(formats):
            err("--output が --format より多く指定されています。--format と --output は同じ順に対で指定してください。")
            raise typer.Exit(EXIT_INPUT)
        outputs += [None] * (len(formats) - len(outputs))
        baseline_on_screen = write_baseline is not None and str(write_baseline) == "-"
        if sum(o is None for o in outputs) + baseline_on_screen > 1:
            err("画面に出せる形式は 1 つだけです。2 つ目以降の --format には --output を指定してください"
                + ("（--write-baseline - のときは、すべての --format に）。" if baseline_on_screen else "。"))
            raise typer.Exit(EXIT_INPUT)
        from checker.commands.lint import Job, discover, run_rendered
        from checker.commands.lint import baseline as baselines
        from checker.reporters.lint.common import summary_line
        from checker.shell.targets import Input, Output
        files = discover(paths)
        refuse_unsafe_outputs([*outputs, Output(write_baseline, "--write-baseline")], files, rules)
        if baseline is not None:  # refreshed by --write-baseline (it is read first), never replaced by a report
            refuse_unsafe_outputs(outputs, others=[Input(baseline, "ベースライン")])
        known, notice = baselines.read_with_notice(baseline) if baseline else (None, "")
        if notice:
            err(notice)
        base = (write_baseline or baseline).parent if (write_baseline or baseline) else None
        wanted = list(dict.fromkeys(formats))  # each format is rendered once, however often it is written
        modules = [reporter("lint", name) for name in wanted]  # imported here, so forked workers inherit them
        job = Job(parts=tuple(m.part for m in modules), known=frozenset(known) if known is not None else None,
                  base=base, record=write_baseline is not None)
        run = run_rendered(files, job, rules, fail_on.value, jobs)
        for file_tally in run.summary.tallies:
            for notice in file_tally.notices:
                err(notice)
        if write_baseline:
            write_output(baselines.text(run.entries), write_baseline)
            if not baseline_on_screen:
                err(f"{write_baseline} にベースラインを書き出しました。")
        import dataclasses
        written = tuple(str(o) for o in outputs if o is not None)
        summary = dataclasses.replace(run.summary, reports=written)  # the github format points to them
        for name, target in zip(formats, outputs):
            i = wanted.index(name)
            write_output(modules[i].assemble(run.parts[i], summary), target)
        if None not in outputs:  # nothing on screen: say what happened
            err(summary_line(run.summary))
        if not files:
            err("点検する案件ファイル（*.yaml / *.yml）が見つかりませんでした。")
        raise typer.Exit(run.summary.exit_code())


class Paper(str, Enum):
    A4 = "A4"
    A3 = "A3"


@app.command(cls=SingleValues)
def agenda(
    paths: list[Path] = PathsArgument,
    minutes: int = typer.Option(120, "--minutes", "-m", min=1, help="会議時間（分）"),
    format: AgendaFormat = typer.Option(AgendaFormat("text"), "--format", "-f", help="出力形式"),
    output: Optional[str] = OutputOption,
    rules: Optional[list[Path]] = RulesOption,
    paper: Paper = typer.Option(Paper("A4"), "--paper", help="印刷する用紙（横向き）: A4 か A3"),
) -> None:
    """事務局向けの議題整理表: 見込み・審議時間・事前に求める資料・まとめ・順番（読めないファイルがあれば終了コード 2）。"""
    with guarded():
        from checker.commands.agenda import screen
        from checker.commands.files import discover
        from checker.core.cache import load_engine
        from checker.reporters.agenda.common import overflow_line
        output = None if output == "-" else output
        refuse_unsafe_outputs([output], discover(paths), rules)
        sheet = screen(paths, load_engine(rules), minutes).model_copy(update={"paper": paper.value})
        on_screen = output is None and format.value == "text"   # the sheet itself lists the errors
        for e in [] if on_screen else sheet.errors:
            err(e.message if e.message.startswith(e.file) else f"{e.file}: {e.message}")
        write_output(render("agenda", format.value, sheet), output)
        if sheet.overflow and (output is not None or format.value == "json"):
            err(overflow_line(sheet))
        if sheet.errors:
            raise typer.Exit(EXIT_INPUT)


@app.command(cls=SingleValues)
def diff(
    old: Path = typer.Argument(..., help="前回（継続審議となった版）の案件ファイル", readable=False),
    new: Path = typer.Argument(..., help="今回（再提出）の案件ファイル", readable=False),
    format: DiffFormat = typer.Option(DiffFormat("text"), "--format", "-f", help="出力形式"),
    output: Optional[str] = OutputOption,
    rules: Optional[list[Path]] = RulesOption,
) -> None:
    """再提出（継続審議分）の差分: 解消した指摘・新たな指摘・新たに申告した措置・変更された記載。"""
    with guarded():
        from checker.commands.diff import diff_files
        from checker.core.cache import load_engine
        refuse_unsafe_outputs([output], [old, new], rules)
        result = diff_files(old, new, load_engine(rules))
        for notice in result.notices:
            err(notice)
        write_output(render("diff", format.value, result), output)


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@app.command(cls=SingleValues)
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="待ち受けるアドレス（既定はこのパソコンの中だけ: 127.0.0.1）"),
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="ポート番号（0 なら空いている番号を使う）"),
    rules: Optional[list[Path]] = RulesOption,
) -> None:
    """ブラウザで案件を作成・点検し、議題シートを作る画面（ワークベンチ）を起動します。"""
    with guarded():
        try:
            from checker.web import serve as run_server
        except ImportError as exc:
            err(f"shingikai serve には追加のパッケージが必要です（{exc.name} がありません）。\n"
                "  → pip install 'shingikai-checker[serve]' でインストールしてください。")
            raise typer.Exit(EXIT_INPUT)
        from checker.core.cache import load_engine
        if host not in LOCAL_HOSTS:
            err(f"警告: {host} で待ち受けます。同じネットワークの他のパソコンからも画面を開けるようになります。"
                "個人情報を含む案件を扱うときは、既定の 127.0.0.1 で使ってください。")
        engine = load_engine(rules)
        try:
            run_server(engine, host, port, lambda url: (typer.echo(f"ワークベンチを開始しました: {url}", err=False),
                                                        sys.stdout.flush(),
                                                        err("ブラウザで上のアドレスを開いてください。終了は Ctrl-C です。")))
        except OSError as exc:
            err(f"{host}:{port} で待ち受けられません（{exc.strerror or exc}）。\n"
                "  → 別の --port を指定するか、--port 0 で空いている番号を使ってください。")
            raise typer.Exit(EXIT_INPUT)


# (command, option) -> what it accepts, for usage errors (checker/shell/usage.py)
_CHOICES = {("check", "format"): CheckFormat, ("lint", "format"): LintFormat, ("agenda", "format"): AgendaFormat,
            ("diff", "format"): DiffFormat, ("list", "format"): ListFormat, ("lint", "fail_on"): FailOn}
_RANGES = {"minutes": "1 以上の整数（会議時間の分数、例: 120）", "jobs": "0 以上の整数（0 は自動）",
           "port": "0〜65535 の整数（0 は空いている番号）"}


def accepted(command: str, param: str) -> tuple[str, list[str] | None] | None:
    choices = _CHOICES.get((command, param))
    if choices is not None:
        values = [c.value for c in choices]
        return " / ".join(values) + " のいずれか", values
    return (_RANGES[param], None) if param in _RANGES else None


class JapaneseGroup(TyperGroup):
    """The command tree, with click's usage errors told in Japanese (checker/shell/usage.py), also under CliRunner."""

    def main(self, args: Any = None, prog_name: Optional[str] = None, complete_var: Optional[str] = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        from checker.shell.usage import message
        argv = list(sys.argv[1:] if args is None else args)
        try:
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        except Exception as exc:
            if type(exc).__name__ == "Abort":  # click < 8.2 and older typer turn Ctrl-C into Abort
                if not standalone_mode:
                    raise
                sys.exit(EXIT_INTERRUPTED)
            if not (isinstance(getattr(exc, "exit_code", None), int) and hasattr(exc, "format_message")):
                raise
            err(message(exc, argv, accepted))
            if not standalone_mode:
                raise
            sys.exit(exc.exit_code)
        if standalone_mode:
            sys.exit(result if isinstance(result, int) else EXIT_OK)
        return result


app.info.cls = JapaneseGroup


def main() -> None:
    """Console entry point: every way the command can end becomes an exit code (and a Japanese line)."""
    import gc
    # Starting up allocates ~300,000 objects that live as long as the process (modules, pydantic's
    # models and schemas, the cached catalogue): at CPython's default thresholds (700, 10, 10) the
    # cycle collector ran ~150 times and walked all of them once in full, ~40 ms of a 0.3 s cold
    # `check`. Rarer young collections (mypy's setting) keep a collector for what a long run
    # (lint, serve) leaves behind; lint pauses it while results accumulate (commands/pool.py).
    gc.set_threshold(200_000, 30, 30)
    from checker.shell import signals
    signals.install_command_handlers()  # SIGTERM / SIGHUP unwind like Ctrl-C, so temporary files go
    # pydantic looks for plugins (observability hooks) at its first model by reading every installed
    # package's metadata: ~15% of a cold `check`, for nothing the command uses. A user's own setting wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _without_plugin_loader()
    code: int = EXIT_OK
    try:
        app()
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    except signals.Stopped as exc:
        code = exc.code if isinstance(exc.code, int) else EXIT_INTERNAL
    except SystemExit as exc:  # click ends every run with sys.exit(code)
        if isinstance(exc.code, str):
            err(exc.code)
        code = exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else EXIT_INTERNAL)
    except BrokenPipeError:
        code = EXIT_BROKEN_PIPE
    if code in STOPPED:  # Ctrl-C, SIGTERM, SIGHUP
        err("中断しました。")
    _exit_now(code)


PLUGIN_LOADER = "pydantic.plugin._loader"


def _without_plugin_loader() -> None:
    """With plugins disabled, pydantic's plugin loader returns no plugins without looking, yet importing
    it imports importlib.metadata (and with it email, zipfile, csv): ~9 ms of a cold `check`. Where the
    setting makes the loader's answer "none", a module giving that answer stands in for it. Any other
    setting (a user's own list) keeps pydantic's loader."""
    import sys
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in ("__all__", "1", "true") or PLUGIN_LOADER in sys.modules:
        return
    import types
    loader = types.ModuleType(PLUGIN_LOADER, "Stands in for pydantic's plugin loader while plugins are disabled (checker/cli.py).")
    loader.get_plugins = lambda: ()  # type: ignore[attr-defined]  # what pydantic's get_plugins returns then
    sys.modules[PLUGIN_LOADER] = loader


def _exit_now(code: int) -> None:
    """Flush and end the process without tearing the interpreter down object by object.

    `shingikai lint` of 500 files holds ~70,000 report objects; freeing them one by one at exit
    took ~50 ms, 5% of the run. By now every output file is written and closed (write_atomic),
    no worker process is left and no thread runs, so flushing stdout and stderr is all that is
    left to do (as mypy does for the same reason).
    """
    import os
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (`| head`) or a closed stream
            pass
    os._exit(code)
