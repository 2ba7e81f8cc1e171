"""Command-line mistakes (click's usage errors) told in Japanese, with what to type instead.

Click words its errors in English and typer's versions word them differently, so the message is
built from the error's kind and its parameter, never from click's text: which option, the value
that was given (read back from the command line) and what the option accepts (from the
command's own table, `accepted`). A kind not known here still gets a Japanese sentence, with
click's text quoted for the details.
"""
from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import Any

# (command name, parameter name) -> (what it accepts, the accepted values or None for a range)
Accepted = Callable[[str, str], "tuple[str, Sequence[str] | None] | None"]


def message(exc: Any, argv: Sequence[str], accepted: Accepted) -> str:
    """The Japanese text for one click UsageError (or subclass), ending with what to do."""
    kind = type(exc).__name__
    ctx = getattr(exc, "ctx", None)
    if kind == "NoArgsIsHelpError":  # `shingikai` alone: the help is the answer
        return exc.format_message()
    command = ctx.info_name if ctx else ""
    names = _path(ctx)
    path = " ".join(["shingikai", *names[1:]])  # the program's own name, whatever it was started as
    help_hint = f"`{path} --help` で使い方を確認してください。"
    param = getattr(exc, "param", None)
    if kind == "NoSuchOption":
        option = exc.option_name
        close = difflib.get_close_matches(option, _options(ctx), n=1, cutoff=0.6)
        guess = f"「{close[0]}」ではありませんか。" if close else ""
        return _text(f"オプション {option} はありません。{guess}", help_hint)
    if kind == "BadOptionUsage":
        return _text(f"オプション {exc.option_name} の後に値がありません。", f"{exc.option_name} 値 の形で指定してください。")
    if kind == "RepeatedOption" and param is not None:  # checker/cli.py: click would keep only the last
        values = "」「".join(_given(argv, getattr(param, "opts", []) or []))
        return _text(f"オプション {_opt(param)} が 2 回以上指定されています（「{values}」）。この指定は 1 つだけです。",
                     f"{_opt(param)} は 1 回だけ、使う値を指定してください。")
    if kind == "MissingParameter" and param is not None:
        if getattr(param, "param_type_name", "") == "argument":
            what = getattr(param, "help", None) or param.name
            return _text(f"{what}を指定してください。", help_hint)
        return _text(f"オプション {_opt(param)} を指定してください。", help_hint)
    if kind == "BadParameter" and param is not None:
        spec = accepted(command, param.name)
        values = _given(argv, getattr(param, "opts", []) or [])
        valid = spec[1] if spec else None
        bad = next((v for v in values if valid is None or v not in valid), values[-1] if values else None)
        shown = f"の値「{bad}」" if bad is not None else "の値"
        if spec:
            close = difflib.get_close_matches(bad or "", list(valid or []), n=1, cutoff=0.5)
            guess = f"「{close[0]}」の誤りではありませんか。" if close else ""
            return _text(f"オプション {_opt(param)} {shown}は使えません。{guess}", f"{spec[0]}を指定してください。")
        return _text(f"オプション {_opt(param)} {shown}は使えません（{exc.format_message()}）。", help_hint)
    commands = getattr(getattr(ctx, "command", None), "commands", None)
    if kind == "UsageError" and commands:
        unknown = next((a for a in argv if not a.startswith("-") and a not in commands and a not in names), None)
        if unknown is not None:
            return _text(f"コマンド「{unknown}」はありません。使えるコマンド: {', '.join(sorted(commands))}", help_hint)
    return _text(f"コマンドの指定が正しくありません（{exc.format_message()}）。", help_hint)


def _text(problem: str, hint: str) -> str:
    return f"エラー: {problem}\n  → {hint}"


def _path(ctx: Any) -> list[str]:
    """Names from the program to the command the error is about."""
    names: list[str] = []
    while ctx is not None:
        names.insert(0, ctx.info_name or "")
        ctx = ctx.parent
    return names or ["shingikai"]


def _opt(param: Any) -> str:
    opts = [o for o in getattr(param, "opts", []) or [] if o.startswith("--")]
    return opts[0] if opts else str(param.name)


def _options(ctx: Any) -> list[str]:
    command = getattr(ctx, "command", None)
    return [o for p in getattr(command, "params", []) for o in getattr(p, "opts", []) if o.startswith("-")]


def _given(argv: Sequence[str], opts: Sequence[str]) -> list[str]:
    """Every value given to an option: `--opt v`, `--opt=v` and `-ov`."""
    values: list[str] = []
    for i, token in enumerate(argv):
        for opt in opts:
            if not opt.startswith("-"):
                continue
            if token == opt and i + 1 < len(argv):
                values.append(argv[i + 1])
            elif opt.startswith("--") and token.startswith(opt + "="):
                values.append(token[len(opt) + 1:])
            elif not opt.startswith("--") and token.startswith(opt) and len(token) > len(opt):
                values.append(token[len(opt):])
    return values
