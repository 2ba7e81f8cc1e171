"""Identifiers as people type them: full-width letters and dashes are read as half-width, and a
near miss in case or width gets a hint naming the id that exists."""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

# Dashes a Japanese keyboard produces where an id has "-" (NFKC keeps all but the full-width one);
# the long-vowel mark ー only between letters or digits, since ids may hold katakana (ポリシー).
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−－﹣"})
_LONG_VOWEL_AS_DASH = re.compile(r"(?<=[A-Za-z0-9])ー(?=[A-Za-z0-9])")


def normalise_id(text: str) -> str:
    """'ＲＥＩ－００１' -> 'REI-001', 'log－review' -> 'log-review' (case is kept)."""
    return _LONG_VOWEL_AS_DASH.sub("-", unicodedata.normalize("NFKC", str(text)).translate(_DASHES)).strip()


def closest_id(text: str, known: Iterable[str]) -> str | None:
    """The known id meant by a mistyped one: the same but for case and width first, else the closest."""
    folded = {normalise_id(k).casefold(): k for k in known}
    wanted = normalise_id(text).casefold()
    if wanted in folded:
        return folded[wanted]
    close = difflib.get_close_matches(wanted, list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def did_you_mean(text: str, known: Iterable[str]) -> str:
    """「VER-003」の誤りではありませんか。 or ''."""
    close = closest_id(text, known)
    return f"「{close}」の誤りではありませんか。" if close and close != text else ""
