"""Debian's tesseract-ocr, run as a child process: its text lines with every character's box.

A child process, not a binding: the event loop only waits on a pipe, a reading past its time is
killed (SIGKILL) rather than left running, and one reading uses one core (OMP_THREAD_LIMIT=1).
hOCR with character boxes is asked for because the zone is monospaced: a character's place on
the line tells which of the 30 or 44 cells it is, which the plain text loses (tesseract drops
or doubles fillers `<`, and reads some as `K`).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from defusedxml.ElementTree import fromstring

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_BOX = re.compile(r"x_bboxes (\d+) (\d+) (\d+) (\d+); x_conf ([\d.]+)")
_LINE_BOX = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")


class OcrUnavailable(RuntimeError):
    """The tesseract binary is not installed (scripts/ensure-ocr.sh installs it)."""


@dataclass(frozen=True)
class Glyph:
    char: str
    left: int
    right: int
    conf: float
    top: int = 0
    bottom: int = 0

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2

    @property
    def width(self) -> int:
        return self.right - self.left


@dataclass(frozen=True)
class Line:
    top: int
    bottom: int
    glyphs: tuple[Glyph, ...]

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)


def binary() -> str:
    found = shutil.which("tesseract")
    if found is None:
        raise OcrUnavailable("tesseract is not installed")
    return found


async def read_lines(png: bytes) -> list[Line]:
    """The text lines tesseract finds in a PNG, restricted to the zone's alphabet."""
    process = await asyncio.create_subprocess_exec(
        binary(),
        "stdin",
        "stdout",
        "--psm",
        "6",
        "-c",
        f"tessedit_char_whitelist={ALPHABET}",
        "-c",
        "hocr_char_boxes=1",
        "hocr",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    try:
        out, _ = await process.communicate(png)
    except BaseException:  # a reading timed out or cancelled: the child must not outlive it
        if process.returncode is None:
            process.kill()
            await process.wait()
        raise
    return parse_hocr(out)


def parse_hocr(document: bytes) -> list[Line]:
    """Lines (`ocr_line`) with their glyphs (`ocrx_cinfo`), from tesseract's own hOCR output."""
    try:
        root = fromstring(document)
    except ET.ParseError:
        return []
    lines = []
    for element in root.iter():
        if element.get("class") not in ("ocr_line", "ocrx_line"):
            continue
        box = _LINE_BOX.search(element.get("title", ""))
        glyphs = tuple(_glyphs(element))
        if box and glyphs:
            lines.append(Line(int(box[2]), int(box[4]), glyphs))
    return lines


def _glyphs(line: ET.Element):
    for element in line.iter():
        if element.get("class") != "ocrx_cinfo":
            continue
        box = _BOX.search(element.get("title", ""))
        char = (element.text or "").strip()
        if box and len(char) == 1 and char in ALPHABET:
            yield Glyph(char, int(box[1]), int(box[3]), float(box[5]), int(box[2]), int(box[4]))
