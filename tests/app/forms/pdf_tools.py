"""Test helpers: run the poppler tools (failing, never skipping, when they are missing) and read a PNG.

The PNG reader is the few lines needed for pdftoppm's output (8-bit grey or RGB, non-interlaced), so the
tests need no imaging library.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest


def run_tool(name: str, *args: str | Path) -> str:
    """Run a poppler-utils program and return its stdout; fail the test (not skip) if it is missing."""
    program = shutil.which(name)
    if program is None:
        pytest.fail(
            f"{name} is not installed: these PDF checks need poppler-utils (apt-get install poppler-utils)"
        )
    result = subprocess.run([program, *map(str, args)], capture_output=True, check=False, timeout=300)
    assert result.returncode == 0, f"{name} failed: {result.stderr.decode('utf-8', 'replace')}"
    return result.stdout.decode("utf-8")


def pdf_text(pdf: Path) -> str:
    """The text in content-stream order (``-raw``), so a table cell's wrapped lines stay together."""
    return run_tool("pdftotext", "-raw", "-enc", "UTF-8", pdf, "-")


def squeeze(text: str) -> str:
    """``text`` without any whitespace, to compare strings a layout may have wrapped."""
    return "".join(text.split())


def page_count(pdf: Path) -> int:
    for line in run_tool("pdfinfo", pdf).splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo printed no page count")


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def png_gray_pixels(path: Path) -> tuple[int, int, list[int]]:
    """Width, height and grey levels (0 black … 255 white) of an 8-bit grey or RGB PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (0, 2) and interlace == 0, "only 8-bit grey/RGB PNGs are read here"
    channels = 1 if colour == 0 else 3
    stride = width * channels
    raw = zlib.decompress(idat)
    previous = bytearray(stride)
    pixels: list[int] = []
    for row in range(height):
        kind = raw[row * (stride + 1)]
        line = bytearray(raw[row * (stride + 1) + 1 : (row + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            predictor = (0, left, up, (left + up) // 2, _paeth(left, up, corner))[kind]
            line[i] = (line[i] + predictor) & 0xFF
        pixels += line if channels == 1 else [sum(line[i : i + 3]) // 3 for i in range(0, stride, 3)]
        previous = line
    return width, height, pixels
