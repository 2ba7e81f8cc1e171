"""A cache of the validated rule catalogue and of the engine compiled from it, keyed by the content
of every file they depend on.

Reading and validating ~100 rule files costs several times what one check costs; the pickled
Catalogue loads in about a hundredth of that. Compiling it for the engine (strata, packing into
rulesets, their JSON) cost another ~35 ms of a cold `check`: the pickled Engine keeps that work and
only hands the rulesets to durable again (checker/core/engine.py, __getstate__). Two entries per
key: catalogue-KEY for the commands that only read rules (`rules show`), engine-KEY for the rest.
The key is a hash of the rule files (every *.yaml under the bundled and the extra rule folders,
with their paths) and of the checker's own source, so any edit to a rule or to the code that
validates or compiles rules makes a new entry. The cache is only an optimisation: an unwritable,
foreign-owned or corrupt cache is ignored and the catalogue is loaded as usual, with one line on
stderr saying so (HOME not enterable under sudo or `docker -u`, a read-only home).
SHINGIKAI_NO_CACHE=1 turns the cache, and that line, off.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from checker.core.catalogue import Catalogue, bundled_rules_dir, load_catalogue
from checker.version import __version__

if TYPE_CHECKING:
    from checker.core.engine import Engine

_KEEP = 8  # entries of each kind kept; older ones (other rule versions) are removed
T = TypeVar("T")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "shingikai"


def catalogue_key(extra_dirs: list[Path] | None, base: Path | None = None) -> str:
    """Hash of everything load_catalogue reads, plus the code that interprets it."""
    import pydantic
    import yaml
    versions = f"{__version__}|{sys.version}|{pickle.HIGHEST_PROTOCOL}|{pydantic.VERSION}|{yaml.__version__}"
    digest = hashlib.sha256(versions.encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):  # core/: the code that reads and compiles rules
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    for directory in [base or bundled_rules_dir(), *(extra_dirs or [])]:
        directory = Path(directory).resolve()
        digest.update(b"dir\0" + str(directory).encode() + b"\0")
        if directory.is_dir():
            for path in sorted(directory.rglob("*.yaml")):
                if not path.is_file():  # a FIFO would block the read; the loader reports it
                    digest.update(b"special\0" + str(path.relative_to(directory)).encode() + b"\0")
                    continue
                digest.update(str(path.relative_to(directory)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def trusted(directory: Path) -> bool:
    """Only our own, not group- or world-writable folder: a pickle from elsewhere is code."""
    try:
        info = directory.stat()
    except OSError:
        return False
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owner_ok and stat.S_ISDIR(info.st_mode) and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _notice(folder: Path, exc: OSError) -> None:
    """One line, once, from the command's own process (a worker rebuilding its engine stays quiet)."""
    global _told
    import multiprocessing
    if _told or multiprocessing.parent_process() is not None:
        return
    _told = True
    reason = exc.strerror or type(exc).__name__
    sys.stderr.write(f"お知らせ: ルールのキャッシュ {folder} を使えないため、キャッシュなしで続けます（{reason}）。"
                     "結果は同じです。SHINGIKAI_NO_CACHE=1 でこのお知らせは出なくなります。\n")


_told = False


def _read(path: Path, kind: type[T]) -> T | None:
    try:
        if not path.is_file() or not trusted(path.parent):
            return None
        data = path.read_bytes()
    except OSError as exc:  # a home that cannot be entered, an unreadable entry
        if not isinstance(exc, FileNotFoundError):
            _notice(path.parent, exc)
        return None
    try:
        value = pickle.loads(data)
    except Exception:  # corrupt, truncated or from incompatible code (or durable refused it): rebuild it
        return None
    return value if isinstance(value, kind) else None


def _write(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not trusted(path.parent):
            return
        fd, tmp = tempfile.mkstemp(prefix=".catalogue-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # readers never see a half-written entry
        finally:
            Path(tmp).unlink(missing_ok=True)
        kind = path.name.split("-")[0]
        entries = sorted(path.parent.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        _notice(path.parent, exc)  # a read-only home or a full disk only costs speed
    except (pickle.PicklingError, TypeError, AttributeError):
        pass  # state that cannot be pickled (a new process-local handle in Engine): uncached; test_cache.py says so


def _entry(kind: str, extra_dirs: list[Path] | None) -> Path | None:
    """The cache file for this kind and these rules, or None when the cache is off or unusable."""
    if os.environ.get("SHINGIKAI_NO_CACHE"):
        return None
    try:
        return cache_dir() / f"{kind}-{catalogue_key(extra_dirs)}.pickle"
    except (OSError, RuntimeError):  # an unreadable rule file (the loader reports it), or no home
        return None


def cached_catalogue(extra_dirs: list[Path] | None = None) -> Catalogue:
    """load_catalogue(extra_dirs), from the cache when the rule files are unchanged."""
    path = _entry("catalogue", extra_dirs)
    cat = _read(path, Catalogue) if path else None
    if cat is None:
        cat = load_catalogue(extra_dirs)  # a RuleError propagates and nothing is cached
        if path:
            _write(path, cat)
    return cat


def load_engine(rules_dirs: list[Path] | None = None) -> "Engine":
    """The compiled rule base: bundled rules plus a municipality's own folders (RuleError if broken)."""
    from checker.core.engine import Engine
    path = _entry("engine", rules_dirs)
    engine = _read(path, Engine) if path else None
    if engine is None:
        engine = Engine(cached_catalogue(rules_dirs))
        if path:
            _write(path, engine)
    return engine
