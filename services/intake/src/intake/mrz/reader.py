"""The zone of one page, read within a time budget by at most N readings at once."""

from __future__ import annotations

import asyncio
import io
import time
from dataclasses import dataclass

import anyio
from PIL import Image

from intake.mrz import image as pages
from intake.mrz.layout import Zone, find_zone
from intake.mrz.tesseract import read_lines

# tesseract's English model reads OCR-B best at ~16 px per character (measured on specimens:
# 12 px and 24 px both double the character errors); the first pass assumes a passport page.
TARGET_PITCH = 16.0
FIRST_WIDTH = 800
_PITCH_TOLERANCE = 2.0


@dataclass(frozen=True)
class ReadOutcome:
    zone: Zone | None
    duration_ms: int


async def read_zone(data: bytes, *, timeout_s: float) -> ReadOutcome:
    """The page's zone (or None), rescaled once to the best character size when needed."""
    started = time.monotonic()
    async with asyncio.timeout(timeout_s):
        page = await anyio.to_thread.run_sync(_upright, data)
        zone = None
        for flipped in (False, True):
            zone = await _pass(page, FIRST_WIDTH, flipped)
            if zone is None:
                continue
            if not zone.valid or abs(zone.pitch - TARGET_PITCH) > _PITCH_TOLERANCE:
                width = round(FIRST_WIDTH * TARGET_PITCH / zone.pitch)
                second = await _pass(page, width, flipped)
                zone = _better(zone, second)
            break
    return ReadOutcome(zone, round((time.monotonic() - started) * 1000))


def _upright(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return pages.upright(image)


async def _pass(page: Image.Image, width: int, flipped: bool) -> Zone | None:
    png, ink = await anyio.to_thread.run_sync(
        lambda: pages.zone_crop(page, width=width, flipped=flipped)
    )
    return find_zone(await read_lines(png), ink)


def _better(first: Zone, second: Zone | None) -> Zone:
    if second is None:
        return first
    return second if sum(second.checks.values()) >= sum(first.checks.values()) else first
