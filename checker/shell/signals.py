"""How `shingikai` and its lint workers end when they are told to, or when the pipe they write to closes.

The command turns SIGTERM and SIGHUP into an exception, as Python already does with SIGINT
(KeyboardInterrupt), so `finally` blocks run: temporary output files are removed and the worker
pool is let go. Workers leave that to the command: they ignore SIGINT (a Ctrl-C reaches the
whole process group, and the command stops them), die on SIGTERM, and on Linux ask the kernel
for SIGTERM when the process that started them ends, however it ends (even SIGKILL). Where that
is not available a thread watches the parent.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1        # linux/prctl.h


class Stopped(SystemExit):
    """Raised in the command's main thread by SIGTERM or SIGHUP; exits with 128 + the signal."""


def _stop(signum: int, _frame: object) -> None:
    raise Stopped(128 + signum)


def install_command_handlers() -> None:
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)


def end_with_parent(parent: int | None) -> None:
    """In a worker: default signal actions, and end when its parent ends.

    `parent`: the command's pid when the worker was forked from it (so a command that ended
    before this runs is noticed); None for a worker of the fork server, whose parent is that server.
    """
    parent = parent or os.getppid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if not _death_signal():
        threading.Thread(target=_watch, args=(parent,), daemon=True, name="parent-watch").start()
    if os.getppid() != parent:  # the command ended before the request above took effect
        os._exit(1)


def _death_signal() -> bool:
    """prctl(PR_SET_PDEATHSIG, SIGTERM) on Linux. A forkserver worker's parent is the fork
    server, which itself ends when the command does, so the chain still reaches the worker."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
