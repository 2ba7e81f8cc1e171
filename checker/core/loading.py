"""Read a YAML file safely into plain data, keeping the line and column of every node.

PyYAML's C composer builds the node tree (fast, and it never runs Python tags); this module
walks that tree itself so it can reject duplicate keys, cap alias expansion and depth, and
record where each value stands for error messages and lint locations.
"""
from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from checker.core.errors import InputError, Problem

# The C loader is much faster; the pure-Python one behaves the same where libyaml is missing.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 1_000_000      # a proposal is a few KB; a megabyte is already suspicious
MAX_NODES = 100_000        # values after alias expansion (guards against "billion laughs")
MAX_DEPTH = 40             # nesting depth of mappings and lists
MAX_LIST_ITEMS = 1_000     # entries in one list: 30,000 data items made durable-rules abort
# libyaml's composer recurses in C and crashed the process (segfault) at ~25,000 levels, which
# a 60 KB file of "[" reaches. Each level needs one of these characters, so a text with fewer of
# them cannot get near that; otherwise the depth is first measured on the (flat) event stream.
_NESTING_CHARS = "[{-:?"
_SAFE_NESTING = 2_000

Path_ = tuple[str | int, ...]

_STR_TAG = "tag:yaml.org,2002:str"

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map",
}


@dataclass(frozen=True)
class Position:
    line: int    # 1-based
    column: int  # 1-based


@dataclass
class LoadedYaml:
    """Plain data plus where each value (and each mapping key) stands in the file."""

    data: Any
    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    def position(self, path: Path_) -> Position:
        """The closest known position for a path: the key if there is one, else the value."""
        path = tuple(path)
        while path:
            if path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), Position(1, 1))


def _problem(message: str, hint: str = "", mark: Any = None) -> Problem:
    if mark is None:
        return Problem(message, hint)
    return Problem(message, hint, mark.line + 1, mark.column + 1)


def _looks_utf16(raw: bytes) -> bool:
    """A UTF-16 BOM, or every other byte NUL (UTF-16 saved without a BOM, as Notepad can)."""
    head = raw[:200]
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        len(head) >= 4 and (head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4))


def _japanese(text: str) -> bool:
    """Real Japanese text has kana and no private-use characters; Latin-1 read as CP932 has neither."""
    if any("\ue000" <= ch <= "\uf8ff" for ch in text):
        return False
    return any("\u3041" <= ch <= "\u30fe" for ch in text)


def decode(raw: bytes, path: str) -> tuple[str, list[str]]:
    """Bytes to text: UTF-8 (with or without BOM), or Shift_JIS/CP932 with a notice."""
    if _looks_utf16(raw):
        raise InputError(path, [Problem(
            "UTF-16 で保存されたファイルは読めません。",
            "エディタで文字コードを UTF-8 にして保存し直してください。", 1, 1)])
    if b"\x00" in raw:
        raise InputError(path, [Problem(
            "バイナリファイルのようです（NUL バイトを含みます）。",
            "YAML 形式のテキストファイル（UTF-8）を指定してください。")])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as utf8_error:
        line = raw[: utf8_error.start].count(b"\n") + 1
        try:
            text = raw.decode("cp932")
        except UnicodeDecodeError:
            text = ""
        if not _japanese(text):
            raise InputError(path, [Problem(
                "文字コードを判別できません（UTF-8 でも Shift_JIS でもありません）。",
                "エディタで UTF-8 として保存し直してください。", line, 1)]) from None
        return text, [f"{path}: お知らせ: Shift_JIS（CP932）として読み込みました。"
                      "UTF-8 で保存し直すことをお勧めします。"]


def unreadable(path: str, exc: OSError) -> InputError:
    """Why a path cannot be read, and what to do, for the errors a file system can give."""
    if exc.errno == errno.ELOOP:
        problem = Problem("シンボリックリンクが循環しています（リンクをたどると自分に戻ります）。",
                          "リンクを張り直すか、削除してください。")
    elif isinstance(exc, FileNotFoundError) and os.path.islink(path):
        problem = Problem(f"シンボリックリンクのリンク先 {os.readlink(path)} がありません。",
                          "リンク先を確認するか、不要なリンクを削除してください。")
    elif isinstance(exc, FileNotFoundError):
        problem = Problem("ファイルが見つかりません。", "パスの綴りを確認してください。")
    elif isinstance(exc, PermissionError):
        problem = Problem(f"ファイルを読めません（読み取る権限がありません: {exc.strerror}）。",
                          "ファイルとその上のフォルダに読み取り権限があるか確認してください（chmod、または管理者に依頼）。")
    else:
        problem = Problem(f"ファイルを読めません（{exc.strerror or type(exc).__name__}）。",
                          "ファイルが壊れていないか、ディスクやネットワークのドライブにつながっているか確認してください。")
    return InputError(path, [problem])


def read_text(path: str | Path) -> tuple[str, list[str]]:
    """Read a file within the size limit and decode it; every failure is an InputError."""
    name, p = str(path), Path(path)
    try:
        info = p.stat()
    except OSError as exc:
        raise unreadable(name, exc) from None
    if stat.S_ISDIR(info.st_mode) and not os.access(name, os.R_OK | os.X_OK):  # met while walking a folder
        raise InputError(name, [Problem("フォルダの中を読めません（読み取る権限がありません）。",
                                        "フォルダに読み取り権限を付けるか、点検の対象から外してください。")])
    if stat.S_ISDIR(info.st_mode):
        raise InputError(name, [Problem("ファイルではなくフォルダです。",
                                        "複数ファイルの点検には `shingikai lint フォルダ` を使ってください。")])
    if not stat.S_ISREG(info.st_mode):  # /dev/zero would never end, a named pipe would block forever
        raise InputError(name, [Problem("通常のファイルではありません（デバイスや名前付きパイプは読めません）。",
                                        "YAML 形式の案件ファイルを指定してください。")])
    size = info.st_size
    try:
        if size <= MAX_BYTES:
            with p.open("rb") as handle:  # at most one byte over the limit, even if it grew since stat
                raw = handle.read(MAX_BYTES + 1)
            size = max(size, len(raw))
    except OSError as exc:
        raise unreadable(name, exc) from None
    if size > MAX_BYTES:
        raise InputError(name, [Problem(
            f"ファイルが大きすぎます（{size:,} バイト、上限 {MAX_BYTES:,} バイト）。",
            "案件ごとにファイルを分けるか、添付資料はファイル外に置いてください。")])
    return decode(raw, name)


class _Builder:
    """Turns a composed node tree into Python data, recording positions."""

    def __init__(self, path: str):
        self.path = path
        self.count = 0
        self.result = LoadedYaml(None)
        self.constructor = yaml.constructor.SafeConstructor()

    def fail(self, message: str, hint: str, node: Any) -> None:
        raise InputError(self.path, [_problem(message, hint, node.start_mark)])

    def build(self, node: Any, where: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            self.fail(f"値の数が上限（{MAX_NODES:,}）を超えました。アンカーとエイリアス（& と *）の展開が多すぎる可能性があります。",
                      "エイリアスを使わずに書き直してください。", node)
        if depth > MAX_DEPTH:
            self.fail(f"入れ子が深すぎます（上限 {MAX_DEPTH} 段）。", "構造を浅くしてください。", node)
        if node.tag not in _STANDARD_TAGS:
            self.fail(f"使用できないタグ {node.tag} があります。",
                      "タグ（! で始まる指定）を削除し、通常の値として書いてください。", node)
        self.result.values[where] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, where, depth)
        if isinstance(node, yaml.SequenceNode):
            if len(node.value) > MAX_LIST_ITEMS:
                self.fail(f"リストの要素が多すぎます（{len(node.value):,} 件、上限 {MAX_LIST_ITEMS:,} 件）。",
                          "案件を分けるか、項目をまとめて書いてください。", node)
            return [self.build(item, where + (i,), depth + 1) for i, item in enumerate(node.value)]
        if node.tag == _STR_TAG:  # most values: skip the constructor's dispatch (~15% of a load)
            return node.value
        try:
            return self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError):
            if node.tag == "tag:yaml.org,2002:timestamp":
                self.fail(f"日付 {node.value!r} が正しくありません。", "実在する日付を YYYY-MM-DD の形で書いてください。", node)
            self.fail(f"値 {node.value!r} を読み取れません。", "値を引用符で囲んで文字列にしてください。", node)

    def mapping(self, node: Any, where: Path_, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.fail("マージキー（<<）は使えません。", "項目をそのまま書いてください。", key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail("キーには文字列を使ってください。", "キーを単純な文字列にしてください。", key_node)
            key = str(key_node.value)
            if key in out:
                first = self.result.keys[where + (key,)]
                self.fail(f"キー「{key}」が重複しています（最初は {first.line} 行目）。",
                          "どちらか一方を削除してください。", key_node)
            self.result.keys[where + (key,)] = Position(key_node.start_mark.line + 1,
                                                        key_node.start_mark.column + 1)
            out[key] = self.build(value_node, where + (key,), depth + 1)
        return out


def _too_deep(text: str, path: str) -> None:
    """Our depth limit, reported as ours whatever limit the YAML library has of its own.

    libyaml (PyYAML >= 6.0.3) stops at its own nesting limit with its own English message, and
    its scanner looks ahead so far that it gets there before emitting the events that would show
    our limit being passed. The pure-Python parser streams events without such a limit, so it
    measures the depth when the C one refuses.
    """
    for loader in dict.fromkeys((SAFE_LOADER, yaml.SafeLoader)):
        depth = 0
        try:
            for event in yaml.parse(text, Loader=loader):
                if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise InputError(path, [_problem(f"入れ子が深すぎます（上限 {MAX_DEPTH} 段）。",
                                                         "構造を浅くしてください。", event.start_mark)])
                elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                    depth -= 1
            return
        except yaml.YAMLError:
            continue  # refused before our limit was reached: try the streaming parser, else the composer reports it


def _guard_depth(text: str, path: str) -> None:
    """Reject too deep nesting before the recursive composer sees it."""
    if sum(text.count(c) for c in _NESTING_CHARS) > _SAFE_NESTING:
        _too_deep(text, path)


# Where YAML needs a half-width space and a Japanese IME easily types U+3000 instead:
# after the colon of a key, after a list dash, or in the indentation.
_WIDE_SPACE = re.compile(r"^[ ]*(?:-[ ]+)?[^\s:#'\"\[{][^:#]*?:(\u3000)|^[ ]*-(\u3000)|^[ ]*(\u3000)", re.M)


# PyYAML's usual complaints, said in Japanese; any other is shown as PyYAML words it.
_REASONS = (
    ("mapping values are not allowed", "ここでは「キー: 値」を書けません。値の中の「: 」か、字下げのずれが原因です"),
    ("could not find expected ':'", "キーの後の「:」が見つかりません"),
    ("tab", "タブ文字は字下げに使えません"),
    ("cannot start any token", "この文字で値を始めることはできません（「@」「`」「%」などは引用符で囲みます）"),
    ("did not find expected key", "キーがあるはずの位置に別のものがあります（字下げのずれ）"),
    ("did not find expected '-' indicator", "リストの「-」の位置がずれています"),
    ("did not find expected ',' or ']'", "「]」が見つかりません（括弧の閉じ忘れ）"),
    ("did not find expected ',' or '}'", "「}」が見つかりません（括弧の閉じ忘れ）"),
    ("found unexpected end of stream", "ファイルが途中で終わっています（引用符の閉じ忘れ）"),
    ("found undefined alias", "定義されていないエイリアス（*名前）があります"),
    ("expected <block end>", "字下げがずれています"),
    ("found unknown escape character", "二重引用符の中に使えないエスケープ（\\ の後の文字）があります"),
)


def _in_japanese(reason: str) -> str:
    return next((japanese for english, japanese in _REASONS if english in reason), reason)


def _full_width_space(text: str, error_line: int | None) -> Problem | None:
    """A syntax error caused by a full-width space, pointed at the space itself.

    PyYAML reads `title:　件名` as one plain string and only fails on the next line; the last such
    space at or before the failing line is almost always the cause.
    """
    found = None
    for match in _WIDE_SPACE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if error_line is not None and line > error_line + 1:
            break
        group = next(i for i in (1, 2, 3) if match.group(i))
        found = (line, match.start(group) - (text.rfind("\n", 0, match.start(group)) + 1) + 1, group)
    if found is None:
        return None
    line, column, group = found
    where = {1: "コロン（:）の後", 2: "リストの「-」の後", 3: "行頭の字下げ"}[group]
    return Problem(f"{where}に全角スペース（「　」）があります。YAML の区切りと字下げには半角スペースが必要です。",
                   f"{line} 行目 {column} 列の全角スペースを半角スペースに置き換えてください。", line, column)


# A key (proposal keys are English identifiers) followed by a full-width colon, as a Japanese IME
# types it: `procedure： consultation` is one plain string to YAML, which then fails a line later.
_WIDE_COLON = re.compile(r"^[ ]*(?:-[ ]+)?[A-Za-z_][\w.-]*[ \u3000]*(\uff1a)", re.M)


def _column(text: str, offset: int) -> int:
    return offset - (text.rfind("\n", 0, offset) + 1) + 1


def _full_width_colon(text: str, first: int, last: int) -> Problem | None:
    """A syntax error caused by a full-width colon after a key, pointed at the colon itself: the
    last one in lines first..last (1-based), from where PyYAML began the key it could not finish
    to where it gave up (a colon elsewhere, in a block of text, is not the cause)."""
    found = None
    for match in _WIDE_COLON.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if line > last:
            break
        if line >= first:
            found = (line, _column(text, match.start(1)))
    if found is None:
        return None
    line, column = found
    return Problem("キーの後に全角のコロン（「：」）があります。YAML のキーと値の区切りは半角のコロン（:）と半角スペースです。",
                   f"{line} 行目 {column} 列の「：」を半角の「:」に置き換えてください（後ろに半角スペースを 1 つ）。", line, column)


def _tab(text: str, mark: Any) -> Problem | None:
    """A syntax error caused by a tab: in the failing line's indentation, or the character the
    parser stopped at. PyYAML words the second as a token that cannot start, like 「@」."""
    if mark is None:
        return None
    lines = text.split("\n")
    if mark.line >= len(lines):
        return None
    current = lines[mark.line]
    indent = re.match(r"^[ \t]*", current).group(0)  # type: ignore[union-attr]
    if "\t" in indent:
        column = indent.index("\t") + 1
    elif mark.column < len(current) and current[mark.column] == "\t":
        column = mark.column + 1
    else:
        return None
    line = mark.line + 1
    return Problem("タブ文字があります。YAML の字下げや値の始めにはタブを使えません。",
                   f"{line} 行目 {column} 列のタブを半角スペースに置き換えてください"
                   "（エディタの「タブをスペースに変換」でも直せます）。", line, column)


def parse_yaml(text: str, path: str) -> LoadedYaml:
    """Compose and build one YAML document; every failure is an InputError with a position."""
    _guard_depth(text, path)
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        _too_deep(text, path)  # a library's own depth limit is reported as ours
        mark = exc.problem_mark or exc.context_mark
        error_line = mark.line if mark is not None else None
        last = error_line + 1 if error_line is not None else text.count("\n") + 1
        first = exc.context_mark.line + 1 if exc.context_mark is not None else last - 1
        cause = _tab(text, mark) or _full_width_space(text, error_line) or _full_width_colon(text, first, last)
        if cause is not None:
            raise InputError(path, [cause]) from None
        reason = _in_japanese(exc.problem or exc.context or "YAML の構文が正しくありません")
        hint = "インデント、コロンの後の空白、引用符・括弧の閉じ忘れを確認してください。"
        start = exc.context_mark
        if start is not None and mark is not None and start.line != mark.line:
            hint += f"（{start.line + 1} 行目から続く部分です）"
        raise InputError(path, [_problem(f"YAML の構文エラーです（{reason}）。", hint, mark)]) from None
    except yaml.YAMLError as exc:
        raise InputError(path, [Problem(f"YAML を読み取れません（{exc}）。", "構文を確認してください。")]) from None
    if node is None:
        raise InputError(path, [Problem("ファイルが空です。",
                                        "`shingikai new --kind outsourcing` でひな形を作成できます。", 1, 1)])
    builder = _Builder(path)
    builder.result.data = builder.build(node, (), 0)
    return builder.result


def load_yaml(path: str | Path) -> LoadedYaml:
    """Read, decode and parse a YAML file."""
    text, notices = read_text(path)
    loaded = parse_yaml(text, str(path))
    loaded.notices.extend(notices)
    return loaded
