"""Shared fixtures: the bundled catalogue and one engine compiled per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

from checker.catalogue import Catalogue, load_catalogue
from checker.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def engine(catalogue: Catalogue) -> Engine:
    return Engine(catalogue)


@pytest.fixture
def write_yaml(tmp_path: Path):
    """Write text (or bytes) to a file in tmp_path and return its path."""
    def write(text: str | bytes, name: str = "proposal.yaml") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path
    return write
