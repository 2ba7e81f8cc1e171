"""Every proposal shipped in proposals/ (examples and seeds) is valid input for the checker."""
from __future__ import annotations

from pathlib import Path

import pytest

from checker.core.validation import load_proposal

ROOT = Path(__file__).resolve().parents[1]
PROPOSALS = sorted((ROOT / "proposals").rglob("*.yaml"))
SEED_MINUTES = {"000_2489abd23889b2e9.txt", "001_dd092029e2b65e8c.txt", "002_b0e95e3b61938bf8.txt",
                "003_3a1b27192e1934e4.txt", "004_c339a8eb093e21c8.txt"}
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/proposal.schema.json"


def test_proposals_exist() -> None:
    assert any(p.parent.name == "seeds" for p in PROPOSALS)
    assert any(p.parent.name == "examples" for p in PROPOSALS)


@pytest.mark.parametrize("path", PROPOSALS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_proposal_validates(path: Path) -> None:
    loaded = load_proposal(path)  # raises InputError (with line and hint) when invalid
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == SCHEMA_LINE, "1 行目にエディタ補完用のスキーマ指定が必要です"
    assert lines[1].startswith("# "), "2 行目に日本語の説明コメントが必要です"
    if path.parent.name == "seeds":
        origin = loaded.proposal.origin
        assert origin is not None and origin.minutes in SEED_MINUTES
        assert path.name.startswith(origin.minutes[:3] + "-")


def test_seed_ids_are_unique() -> None:
    ids = [load_proposal(p).proposal.id for p in PROPOSALS]
    assert len(ids) == len(set(ids))
