"""Writing outputs without damaging what the user pointed at.

- A regular file is replaced atomically (the report is written to a temporary file in the same
  folder, then renamed over the old one), so an interrupted run leaves the old report or the new
  one, never half of one. Several runs writing one output at once (CI matrix jobs) each rename a
  complete report in: the last one wins. The replacement keeps the old file's mode (and owner,
  where allowed); a new file gets the mode the umask gives.
- A symlink is written through: its target gets the report and the link stays, as the shell's
  `>` does. A file with several hard links is rewritten in place, so every link sees the report,
  under an exclusive lock (flock), so two runs never interleave their reports in it.
- Anything that is not a regular file (a terminal, /dev/stdout, a named pipe) is opened and
  written as it is: never renamed over, truncated by re-creation or chmod-ed.
- The output folder is never created: a missing or unwritable folder is the user's to fix.

Which of these applies is decided from one look at the path (one stat), never from two looks
that another run's rename can fall between.

Temporary files: where the file system allows (Linux, O_TMPFILE), the report is written to a file
without a name and given one only for the instant before the rename, so even SIGKILL leaves
nothing behind. Elsewhere the temporary file has a recognisable name (the output's name, this
machine and this process's id); each run removes those of runs on this machine that are no longer
alive. A failed or interrupted write (KeyboardInterrupt, and SIGTERM / SIGHUP once the CLI has
turned them into exceptions: see checker/shell/signals.py) removes its own.
"""
from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from checker.core.errors import InputError, Problem

_NEW_FILE_MODE = 0o666  # minus the umask, as any program that creates a file does
_TEMP_MARK = "shingikai"  # in every temporary file's name: .<output>.shingikai-<host>-<pid>-<random>.tmp


def write_atomic(path: str | Path, text: str | Iterable[str], encoding: str = "utf-8") -> None:
    """Write `text` to `path` by the rules above; OSError when it cannot (see output_error).

    `text` may come in pieces (a folder's lint JSON, assembled one file at a time): they are written
    as they come, into the temporary file when the output is replaced, so a failure half way still
    leaves the old report; a hard-linked file is rewritten in place, so its pieces are gathered first."""
    data = _encoded(text, encoding)
    if str(path).endswith(("/", os.sep)):  # `-o reports/`: a folder was meant, never a file named so
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    descriptor = _open_descriptor(str(path))
    if descriptor is not None and descriptor >= 0:
        _write_descriptor(descriptor, data)
        return
    if descriptor == -1:
        # Another process's open file (/proc/<pid>/fd/N): its name cannot be renamed over; add after what is there.
        _write_in_place(str(path), data, os.O_WRONLY | os.O_APPEND)
        return
    try:
        info: os.stat_result | None = os.stat(path)  # the one look: follows links
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    target = os.path.realpath(path)  # through symlinks, to the file they point at
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_in_place(str(path), data, os.O_WRONLY)
    elif info is not None and info.st_nlink > 1:
        _rewrite_locked(target, [b"".join(data)])  # all of it before the file is emptied
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


def _encoded(text: str | Iterable[str], encoding: str) -> Iterator[bytes]:
    for piece in [text] if isinstance(text, str) else text:
        yield piece.encode(encoding)


def _write_all(handle: BinaryIO, data: Iterable[bytes]) -> None:
    for chunk in data:
        handle.write(chunk)


def _write_descriptor(fd: int, data: Iterable[bytes]) -> None:
    """Our own open file (`-o /dev/stdout`): write through it, so the shell's redirection,
    its offset and whatever was written before stay as they are."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()  # anything printed before comes first
        except (OSError, ValueError):
            pass
    with os.fdopen(os.dup(fd), "wb") as handle:
        _write_all(handle, data)


def _write_in_place(target: str, data: Iterable[bytes], flags: int) -> None:
    """Write into the file that is there (never O_CREAT, never a rename)."""
    fd = os.open(target, flags)
    with os.fdopen(fd, "wb") as handle:
        _write_all(handle, data)


def _rewrite_locked(target: str, data: Iterable[bytes]) -> None:
    """A hard-linked file, rewritten in place: truncated and written while holding an exclusive
    lock, so a run writing it at the same time waits instead of mixing its report into ours."""
    fd = os.open(target, os.O_WRONLY)  # no O_TRUNC: emptying it waits for the lock
    try:
        _lock(fd)
        os.ftruncate(fd, 0)
        with os.fdopen(fd, "wb", closefd=False) as handle:
            _write_all(handle, data)  # flushed on leaving the block, still under the lock
    finally:
        os.close(fd)  # releases the lock


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no advisory locks to take
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError as exc:
        if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL):  # a file system without locks
            raise


def _replace(target: str, data: Iterable[bytes], old: os.stat_result | None) -> None:
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), folder)
    _remove_stale_temporaries(folder, os.path.basename(target))
    fd = _unnamed_file(folder)
    named = None
    try:
        if fd is None:
            named = _temporary_name(folder, os.path.basename(target))
            fd = os.open(named, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), _NEW_FILE_MODE)
        if old is not None:
            _keep_mode(fd, old)
        with os.fdopen(fd, "wb", closefd=False) as handle:
            _write_all(handle, data)
        if named is None:  # give the unnamed file a name only now, for the rename just below
            candidate = _temporary_name(folder, os.path.basename(target))
            _link_descriptor(fd, candidate)
            named = candidate
        os.replace(named, target)
        named = None
    finally:
        if fd is not None:
            os.close(fd)
        if named is not None:
            Path(named).unlink(missing_ok=True)


def _unnamed_file(folder: str) -> int | None:
    """An O_TMPFILE file in `folder` (no name, so nothing is left if the process is killed),
    or None where the system or the file system does not offer them."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):  # the link below goes through /proc
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, _NEW_FILE_MODE)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None  # a file system without unnamed files (or an old kernel): use a named one
        raise


def _link_descriptor(fd: int, name: str) -> None:
    """linkat(2) of an O_TMPFILE descriptor through /proc/self/fd, following that magic link.

    os.link calls plain link(2), which does not follow it, unless a directory descriptor is given:
    the folder's is, so linkat(..., AT_SYMLINK_FOLLOW) runs (the source path is absolute).
    """
    folder = os.open(os.path.dirname(name), os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.link(f"/proc/self/fd/{fd}", os.path.basename(name), dst_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)


def _host() -> str:
    if hasattr(os, "uname"):  # what gethostname() returns, without importing socket (~1 ms of a cold start)
        name = os.uname().nodename
    else:
        import socket
        name = socket.gethostname()
    return re.sub(r"[^A-Za-z0-9_]", "_", name)[:40] or "host"


def _temporary_name(folder: str, base: str) -> str:
    return os.path.join(folder, f".{base}.{_TEMP_MARK}-{_host()}-{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _remove_stale_temporaries(folder: str, base: str) -> None:
    """Temporary files that runs on this machine left for this output when they were killed
    (SIGKILL, power loss) before they could remove them: those whose process is gone."""
    pattern = re.compile(rf"^\.{re.escape(base)}\.{_TEMP_MARK}-{re.escape(_host())}-(\d+)-[0-9a-f]+\.tmp$")
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = pattern.match(name)
        if match and not _alive(int(match.group(1))):
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                pass  # another run removed it first, or the folder is not ours to clean


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


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

