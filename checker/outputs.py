"""Writing outputs safely: a temporary file in the same folder, then an atomic rename."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """An interrupted run never leaves a half-written report behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def is_one_of(output: Path, inputs: list[Path]) -> bool:
    """Whether writing `output` would overwrite one of the input files (links and `..` included)."""
    target = Path(output)
    for source in inputs:
        try:
            if target.resolve() == Path(source).resolve() or (
                    target.exists() and Path(source).exists() and os.path.samefile(target, source)):
                return True
        except OSError:
            continue
    return False
