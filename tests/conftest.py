"""Shared fixtures: the bundled catalogue and one engine compiled per test session."""
from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

from checker.core.catalogue import Catalogue, load_catalogue
from checker.core.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def under_ci() -> bool:
    """CI sets CI (GitHub, GitLab and .ci/run export CI=true); there nothing may be skipped."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str) -> NoReturn:
    """A test that cannot run here: skipped with the reason on a developer's machine, failed under CI."""
    if under_ci():
        pytest.fail(f"{reason}（CI では必須です）")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared() -> Path:
    """The council minutes and design notes beside the repository (../shared), as CI lays them."""
    if not (SHARED / "seeds").is_dir():
        unavailable(f"{SHARED} がありません（会議録は CI がリポジトリの隣に置きます）")
    return SHARED


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
