"""Where the bundled rule files are (a module of its own, so every loader can import it)."""
from __future__ import annotations

from pathlib import Path


def bundled_rules_dir() -> Path:
    """The rules shipped in the wheel, or the repository's rules/ in a source checkout."""
    package = Path(__file__).parent.parent  # checker/
    packaged = package / "rules"
    return packaged if packaged.is_dir() else package.parent / "rules"
