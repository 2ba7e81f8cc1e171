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
SIGTERM / SIGHUP once the CLI has turned them into exceptions: see checker/shell/signals.py).
"""
from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import sys
from pathlib import Path

from checker.core.errors import InputError, Problem

_NEW_FILE_MODE = 0o666  # minus the umask, as any program that creates a file does


def write_atomic(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Write `text` to `path` by the rules above; OSError when it cannot (see output_error)."""
    data = text.encode(encoding)
    if str(path).endswith(("/", os.sep)):  # `-o reports/`: a folder was meant, never a file named so
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    try:
        info: os.stat_result | None = os.stat(path)  # follows links, /dev/stdout's included
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    target = os.path.realpath(path)  # through symlinks, to the file they point at
    descriptor = _open_descriptor(str(path))
    if descriptor is not None and descriptor >= 0:
        _write_descriptor(descriptor, data)
    elif info is None:
        _replace(target, data, None)
    elif not stat.S_ISREG(info.st_mode):
        _write_in_place(str(path), data, os.O_WRONLY)
    elif descriptor == -1 or not _same(info, target):
        # Another process's open file: its name cannot be renamed over; add after what is there.
        _write_in_place(str(path), data, os.O_WRONLY | os.O_APPEND)
    elif info.st_nlink > 1:
        _write_in_place(target, data, os.O_WRONLY | os.O_TRUNC)
    else:
        _replace(target, data, info)


_FD_FOLDER = re.compile(r"^/proc/(?:self|thread-self|(\d+))(?:/task/\d+)?/fd$")


def _open_descriptor(path: str) -> int | None:
    """The descriptor a path reaches through /proc/<pid>/fd (/dev/stdout, /dev/fd/N): -1 when it
    is another process's, None when the path is an ordinary file name."""
    for _ in range(40):  # the kernel's own limit on links followed
        folder, name = os.path.split(os.path.abspath(path))
        match = _FD_FOLDER.match(os.path.realpath(folder))
        if match:
            own = match.group(1) is None or int(match.group(1)) == os.getpid()
            return int(name) if own and name.isdigit() else -1
        if not os.path.islink(path):
            return None
        path = os.path.join(folder, os.readlink(path))
    return None


def _write_descriptor(fd: int, data: bytes) -> None:
    """Our own open file (`-o /dev/stdout`): write through it, so the shell's redirection,
    its offset and whatever was written before stay as they are."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()  # anything printed before comes first
        except (OSError, ValueError):
            pass
    with os.fdopen(os.dup(fd), "wb") as handle:
        handle.write(data)


def _same(info: os.stat_result, target: str) -> bool:
    try:
        other = os.stat(target)
    except OSError:
        return False
    return (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino)


def _write_in_place(target: str, data: bytes, flags: int) -> None:
    """Write into the file that is there (never O_CREAT, never a rename)."""
    fd = os.open(target, flags)
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
        problem = Problem("出力先がフォルダを指しています。", "--output にはファイル名（例: reports/report.md）を指定してください。")
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
