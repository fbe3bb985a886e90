"""Preparing a page for the OCR: upright (a tilt of a few degrees undone), gray, the zone's part.

The zone is in the bottom part of a passport data page (ICAO 9303 part 4) and of the back of an
identity card (part 5), so only the bottom `ZONE_SHARE` of the page goes to the OCR; an image
that reads nothing there is tried once more turned upside down (a page scanned the wrong way).
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageOps

# The zone of a TD1 card takes the bottom ~40 % of its back; of a TD3 page the bottom ~25 %.
ZONE_SHARE = 0.5
# Tilts searched (degrees): a scan on a flatbed or a phone photo held by hand.
MAX_TILT = 5.0
TILT_STEP = 0.25
MAX_WIDTH = 2000
_ESTIMATE_WIDTH = 700


def upright(image: Image.Image) -> Image.Image:
    """Gray, at most MAX_WIDTH wide, turned by the tilt that best aligns its text lines."""
    gray = ImageOps.grayscale(image)
    if gray.width > MAX_WIDTH:
        size = (MAX_WIDTH, max(1, round(gray.height * MAX_WIDTH / gray.width)))
        gray = gray.resize(size, Image.Resampling.LANCZOS)
    angle = tilt_of(gray)
    if abs(angle) < TILT_STEP / 2:
        return gray
    return gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def zone_crop(page: Image.Image, *, width: int, flipped: bool = False) -> tuple[bytes, np.ndarray]:
    """Where the zone is, `width` wide (the bottom part, or the top part turned over): a PNG for
    the OCR and its ink mask, to look at single characters again."""
    height = max(1, round(page.height * width / page.width))
    scaled = page.resize((width, height), Image.Resampling.LANCZOS)
    part = round(height * ZONE_SHARE)
    if flipped:
        crop = scaled.crop((0, 0, width, part)).rotate(180)
    else:
        crop = scaled.crop((0, height - part, width, height))
    gray = np.asarray(crop)
    return _png(Image.fromarray(flattened(gray))), ink_mask(gray)


def flattened(gray: np.ndarray) -> np.ndarray:
    """The page divided by its local background: uneven light and the dark table or scanner lid
    around a tilted page become even paper, which tesseract's line finding needs."""
    values = gray.astype(np.float32)
    background = np.maximum(_box_mean(values, 61), 1.0)
    return np.clip(values / background * 230.0, 0, 255).astype(np.uint8)


def tilt_of(gray: Image.Image) -> float:
    """The rotation (degrees, counter-clockwise) that makes text rows sharpest (row-sum variance)."""
    small = gray.resize(
        (_ESTIMATE_WIDTH, max(1, round(gray.height * _ESTIMATE_WIDTH / gray.width))),
        Image.Resampling.BOX,
    )
    ink = Image.fromarray((ink_mask(np.asarray(small)) * 255).astype(np.uint8))
    best, best_score = 0.0, -1.0
    for angle in np.arange(-MAX_TILT, MAX_TILT + TILT_STEP / 2, TILT_STEP):
        rows = np.asarray(ink.rotate(float(angle), resample=Image.Resampling.NEAREST)).sum(axis=1)
        score = float(np.var(rows.astype(np.float64)))
        if score > best_score:
            best, best_score = float(angle), score
    return best


def ink_mask(gray: np.ndarray, *, window: int = 31) -> np.ndarray:
    """Dark pixels relative to their neighbourhood, so uneven light does not read as ink."""
    values = gray.astype(np.float32)
    background = _box_mean(values, window)
    return (values < background - 25).astype(np.uint8)


def _box_mean(values: np.ndarray, size: int) -> np.ndarray:
    """Mean over a size x size window, by summed-area table (edges padded)."""
    pad = size // 2
    padded = np.pad(values, pad + 1, mode="edge")
    table = padded.cumsum(axis=0).cumsum(axis=1)
    h, w = values.shape
    total = (
        table[size : size + h, size : size + w]
        - table[:h, size : size + w]
        - table[size : size + h, :w]
        + table[:h, :w]
    )
    return total / (size * size)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()
