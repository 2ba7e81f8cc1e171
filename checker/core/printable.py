r"""Control characters from a proposal, made visible instead of acted on by a terminal or CI log.

An ESC sequence in a YAML value (`title: "\e[2J"`) would clear a screen, recolour a log or hide
text; bidirectional overrides reorder what a reviewer reads. In text meant for people they are
shown as Python-style escapes (`\x1b`, `\u202e`); line breaks and tabs are kept.
"""
from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character written as its escape."""
    return _CONTROLS.sub(_escape, text)
