"""Every file's part of one lint output, kept in an unnamed temporary file until the output is written.

A folder's JSON parts are ~120 KB of text a file (reporters/lint/pieces.py): 10,000 files held in
memory would be over a gigabyte in the main process. On disk (an unnamed file the system
removes when it is closed or the process ends) memory stays flat whatever the folder's size;
reading a part back costs a seek and an unpickle, and the formats read each one once or twice.
Where no temporary file can be made or written (no usable TMPDIR, a full disk), the parts are
kept in memory instead, as before: the run goes on.
"""
from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator, Sequence
from typing import IO, Any


class PartSpool(Sequence[Any]):
    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []
        self._end = 0
        self._memory: list[Any] | None = None  # the parts, once the file has failed
        try:
            self._file: IO[bytes] | None = tempfile.TemporaryFile()
        except OSError:
            self._file, self._memory = None, []

    def append(self, part: Any) -> None:
        if self._memory is None:
            data = pickle.dumps(part, pickle.HIGHEST_PROTOCOL)
            try:
                self._write(data)
                return
            except OSError:
                self._memory = list(self)  # what was written still reads back
                self._close_file()
        self._memory.append(part)

    def _write(self, data: bytes) -> None:
        assert self._file is not None
        self._file.seek(self._end)
        self._file.write(data)
        self._file.flush()  # a full disk shows here, not at a later read
        self._spans.append((self._end, len(data)))
        self._end += len(data)

    def __len__(self) -> int:
        return len(self._memory) if self._memory is not None else len(self._spans)

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        if self._memory is not None:
            return self._memory[index]
        if isinstance(index, slice):
            return [self._read(*span) for span in self._spans[index]]
        return self._read(*self._spans[index])

    def __iter__(self) -> Iterator[Any]:
        if self._memory is not None:
            yield from self._memory
            return
        for span in self._spans:
            yield self._read(*span)

    def _read(self, start: int, size: int) -> Any:
        assert self._file is not None
        self._file.seek(start)
        return pickle.loads(self._file.read(size))

    def _close_file(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def close(self) -> None:
        self._close_file()
