"""Helpers for the real-browser tests: headless Chromium, pdftotext, and a tiny PNG decoder.

Chromium runs with a fresh profile and with background networking, sync, QUIC and component
updates off, so a test never talks to the network and never reuses state.
"""
from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

from .conftest import unavailable

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars"]


def need(tool: str) -> str:
    """Path of a tool; a missing tool skips the test, or fails it under CI (conftest.unavailable)."""
    names = CHROMIUM_NAMES if tool == "chromium" else (tool,)
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"{tool} がありません（apt-get install chromium fonts-noto-cjk poppler-utils、または .ci/run）"
    unavailable(message)


def chromium(args: list[str], workdir: Path) -> subprocess.CompletedProcess[str]:
    profile = workdir / "chromium-profile"
    profile.mkdir()
    command = [need("chromium"), *FLAGS, f"--user-data-dir={profile}", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=workdir,
                            env={**os.environ, "HOME": str(workdir)})
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def print_to_pdf(html: Path, pdf: Path) -> None:
    chromium(["--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()], html.parent)
    assert pdf.exists() and pdf.stat().st_size > 0


def screenshot(html: Path, png: Path, size: str = "1000,1400") -> None:
    chromium([f"--window-size={size}", f"--screenshot={png}", html.as_uri()], html.parent)
    assert png.exists() and png.stat().st_size > 0


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def pdf_text(pdf: Path) -> str:
    return subprocess.run([need("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes) -> width, height, pixel rows."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "PNG ではありません"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = prev[i], (prev[i - bpp] if i >= bpp else 0)
            line[i] = (line[i] + (0, left, up, (left + up) // 2, _paeth(left, up, corner))[kind]) & 0xFF
        rows.append(bytes(line if bpp == 3 else b"".join(line[i:i + 3] for i in range(0, stride, 4))))
        prev = line
    return width, height, rows
