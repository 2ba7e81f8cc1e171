"""Writing outputs without damaging what the user pointed at.

- A regular file is replaced atomically (a temporary file in the same folder, then a rename), so
  an interrupted run leaves the old report or the new one, never half of one. The replacement
  keeps the old file's mode (and owner, where allowed); a new file gets the mode the umask gives.
- A symlink is written through: its target gets the report and the link stays, as the shell's
  `>` does. A file with several hard links is rewritten in place so every link sees the report.
- Anything that is not a regular file (a terminal, /dev/stdout, a named pipe) is opened and
  written as it is: never renamed over, truncated by re-creation or chmod-ed.
- The output folder is never created: a missing or unwritable folder is the user's to fix.

Temporary files are removed when the write fails or is interrupted (KeyboardInterrupt, and
SIGTERM / SIGHUP once the CLI has turned them into exceptions: see checker/signals.py).
"""
from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from .errors import InputError, Problem

_NEW_FILE_MODE = 0o666  # minus the umask, as any program that creates a file does


def write_atomic(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Write `text` to `path` by the rules above; OSError when it cannot (see output_error)."""
    data = text.encode(encoding)
    try:
        info: os.stat_result | None = os.stat(path)  # follows links, /dev/stdout's included
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    target = os.path.realpath(path)  # through symlinks, to the file they point at
    if info is not None and (not stat.S_ISREG(info.st_mode) or info.st_nlink > 1 or not _same(info, target)):
        # Not a plain file, or one reached through /proc/self/fd (`-o /dev/stdout > file`),
        # whose real name cannot be renamed over: write into what is open there.
        _write_in_place(str(path), data, truncate=stat.S_ISREG(info.st_mode))
        return
    _replace(target, data, info)


def _same(info: os.stat_result, target: str) -> bool:
    try:
        other = os.stat(target)
    except OSError:
        return False
    return (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino)


def _write_in_place(target: str, data: bytes, truncate: bool) -> None:
    """Devices and pipes as they are (no O_CREAT, no rename); hard-linked files truncated and rewritten."""
    fd = os.open(target, os.O_WRONLY | (os.O_TRUNC if truncate else 0))
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _replace(target: str, data: bytes, old: os.stat_result | None) -> None:
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), folder)
    tmp = os.path.join(folder, f".{os.path.basename(target)}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), _NEW_FILE_MODE)
    try:
        if old is not None:
            _keep_mode(fd, old)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _keep_mode(fd: int, old: os.stat_result) -> None:
    """The replacement looks like the file it replaces: same owner where allowed, same permissions."""
    if hasattr(os, "fchown") and (old.st_uid, old.st_gid) != os.fstat(fd)[4:6]:
        try:
            os.fchown(fd, old.st_uid, old.st_gid)
        except OSError:
            pass  # only root may give a file away; the mode below still applies
    os.chmod(fd, stat.S_IMODE(old.st_mode))  # our own temporary file, never the user's


def output_error(path: str | Path, exc: OSError) -> InputError:
    """A failed write as the user's input error (exit 2): which path, why, what to do."""
    name = str(path)
    reason = exc.strerror or type(exc).__name__
    folder = os.path.dirname(os.path.realpath(path)) or "."
    if isinstance(exc, IsADirectoryError):
        problem = Problem(f"出力先がフォルダです（{reason}）。", "--output にはファイル名を指定してください。")
    elif isinstance(exc, FileNotFoundError) and not os.path.isdir(folder):
        problem = Problem(f"出力先のフォルダ {folder} がありません。",
                          "フォルダを作成してから実行するか、ある場所のファイル名を指定してください。")
    elif exc.errno == errno.ELOOP:
        problem = Problem("出力先のシンボリックリンクが循環しています（リンクをたどると自分に戻ります）。",
                          "リンクを張り直すか、別のファイル名を指定してください。")
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        problem = Problem(f"出力先に書き込めません（{reason}）。フォルダ {folder} またはファイルに書き込む権限がありません。",
                          "書き込めるフォルダのファイル名を指定するか、権限を確認してください。")
    else:
        problem = Problem(f"出力先に書き込めません（{reason}）。",
                          "ディスクの空き容量と、出力先が書き込めるファイルであることを確認してください。")
    return InputError(name, [problem])


def is_one_of(output: Path, inputs: list[Path]) -> bool:
    """Whether writing `output` would overwrite one of the input files (links and `..` included)."""
    target = Path(output)
    for source in inputs:
        try:
            if target.resolve() == Path(source).resolve() or (
                    target.exists() and Path(source).exists() and os.path.samefile(target, source)):
                return True
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13); the write reports it
            continue
    return False
