"""Structured lint outputs written piece by piece.

`shingikai lint` keeps every file's part of each requested output until the end, because the
summary (and for SARIF the rules used) comes first in the document. Live, a file's JSON entry took
~800 KB (500 files: 426 MB), so the parts wait on disk (checker/commands/lint/spool.py), and the
structured formats keep them small and final: JSON as the entry's text, SARIF as its results,
JUnit as its suite. Their assemble yields the document one file at a time; splicing the encoded
entries into the document gives the text json.dumps(indent=2) of the whole would give.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator


def indented(text: str, spaces: int) -> str:
    """Pretty JSON moved `spaces` to the right, as it reads nested in a bigger document. Only
    structural line breaks are raw in JSON text (those in strings are escaped), so split on them."""
    pad = " " * spaces
    return pad + text.replace("\n", "\n" + pad)


def spliced(document: str, key: str, items: Iterable[str], spaces: int) -> Iterator[str]:
    """Yield `document` (pretty JSON whose `key` holds the empty list) with the list's items, each
    pretty JSON text indented to `spaces`, in place of the empty list: the text json.dumps(indent=2)
    gives for the whole document. An empty `items` leaves `[]` as it is."""
    # the key at its own depth: a key of that name deeper down, or inside a string (quotes escaped), never matches
    marker = "\n" + " " * (spaces - 2) + f'"{key}": []'
    head, found, tail = document.partition(marker)
    if not found:
        raise ValueError(f"{key} not in the document at indent {spaces - 2}")
    first = True
    for item in items:
        yield (head + marker[:-1] + "\n") if first else ",\n"
        first = False
        yield indented(item, spaces)
    yield (head + marker) if first else "\n" + " " * (spaces - 2) + "]"
    yield tail
