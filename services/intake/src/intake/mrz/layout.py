"""From OCR glyphs to the lines of a machine-readable zone (ICAO 9303 parts 4 and 5), pure.

The zone is monospaced: each glyph is put in the cell its position says, so a filler `<` that
tesseract dropped or doubled does not shift the rest; two glyphs on one spot are one character.
A cell read as a letter where a filler may stand is looked at once more: a chevron is a filler.
"""

from __future__ import annotations

import itertools
import statistics

import numpy as np

from intake.mrz.checks import LAYOUTS, Zone, settled
from intake.mrz.tesseract import Glyph, Line

# What tesseract's English model makes of an OCR-B filler `<` when it does not read it as one.
_FILLER_MISREADS = frozenset("KXCSEZL")


def find_zone(lines: list[Line], ink: np.ndarray | None = None) -> Zone | None:
    """The bottom-most block of zone-like lines, as a TD3 (2 x 44) or TD1 (3 x 30) zone."""
    candidates = [line for line in lines if len(line.glyphs) >= 20 and "<" in line.text]
    for kind, count in (("td3", 2), ("td1", 3)):
        if len(candidates) < count:
            continue
        block = candidates[-count:]
        length = len(LAYOUTS[kind][0])
        if _cells_spanned(block) not in range(length - 3, length + 4):
            continue
        pitch = _block_pitch(block, length)
        texts = tuple(
            cells(line, length, pattern, ink, pitch=pitch)
            for line, pattern in zip(block, LAYOUTS[kind], strict=True)
        )
        return settled(kind, texts, pitch=pitch)
    return None


def _pitch(block: list[Line]) -> float:
    """Character pitch: the typical distance between neighbouring single glyphs."""
    steps = [
        b.centre - a.centre
        for line in block
        for a, b in itertools.pairwise(line.glyphs)
        if max(a.width, b.width) <= 1.4 * (b.centre - a.centre)
    ]
    typical = statistics.median(steps) if steps else 1.0
    return statistics.median([s for s in steps if 0.6 * typical <= s <= 1.5 * typical] or [typical])


def _cells_spanned(block: list[Line]) -> int:
    pitch = _pitch(block)
    first = min(line.glyphs[0].centre for line in block)
    last = max(line.glyphs[-1].centre for line in block)
    return round((last - first) / pitch) + 1


def cells(
    line: Line, length: int, pattern: str, ink: np.ndarray | None = None, *, pitch: float
) -> str:
    """The line's `length` cells: each glyph in its cell (the surer one wins), empty ones `<`."""
    glyphs = without_phantoms(line.glyphs)
    origin = glyphs[0].centre
    chosen: dict[int, Glyph] = {}
    for glyph in glyphs:
        for cell in _cells_of(glyph, origin, pitch, length):
            if cell not in chosen or glyph.conf > chosen[cell].conf:
                chosen[cell] = glyph
    out = []
    for i in range(length):
        glyph = chosen.get(i)
        if glyph is None or (pattern[i] in "AX" and _filler_after_all(glyph, ink)):
            out.append("<")
        else:
            out.append(glyph.char)
    return "".join(out)


def without_phantoms(glyphs: tuple[Glyph, ...]) -> tuple[Glyph, ...]:
    """Two glyphs on one spot are one character: the filler if either is one (tesseract reads
    a `<` as a narrow extra `K` or `X` beside it), else the surer."""
    kept: list[Glyph] = []
    for glyph in glyphs:
        if kept and _overlap(kept[-1], glyph) >= 0.3 * max(1, min(kept[-1].width, glyph.width)):
            kept[-1] = _stronger(kept[-1], glyph)
        else:
            kept.append(glyph)
    return tuple(kept)


def _overlap(a: Glyph, b: Glyph) -> int:
    return min(a.right, b.right) - max(a.left, b.left)


def _stronger(a: Glyph, b: Glyph) -> Glyph:
    if (a.char == "<") != (b.char == "<"):
        return a if a.char == "<" else b
    return a if a.conf >= b.conf else b


def _block_pitch(block: list[Line], length: int) -> float:
    """From the ends of the second line (it begins and ends with a character, never a filler:
    a document number or birth date, a check digit), else the typical pitch."""
    pitch = _pitch(block)
    glyphs = without_phantoms(block[1].glyphs)
    span = glyphs[-1].centre - glyphs[0].centre
    if abs(span / pitch - (length - 1)) < 1.5:
        return span / (length - 1)
    return pitch


def _cells_of(glyph: Glyph, origin: float, pitch: float, length: int) -> range:
    """The cells a glyph covers: one, or several for a run of fillers read as one wide `<`."""
    if glyph.char == "<" and glyph.width > 1.6 * pitch:
        first = round((glyph.left + pitch / 2 - origin) / pitch)
        last = round((glyph.right - pitch / 2 - origin) / pitch)
    else:
        first = last = round((glyph.centre - origin) / pitch)
    # A glyph past either end is not the zone's (a stray mark, the page's edge).
    return range(max(first, 0), min(last, length - 1) + 1) if 0 <= first < length else range(0)


def _filler_after_all(glyph: Glyph, ink: np.ndarray | None) -> bool:
    """A letter tesseract often reads for `<`, whose ink is a chevron: `<` after all."""
    if ink is None or glyph.char not in _FILLER_MISREADS:
        return False
    patch = ink[glyph.top : glyph.bottom + 1, glyph.left : glyph.right + 1]
    return is_chevron(patch)


def is_chevron(patch: np.ndarray) -> bool:
    """Ink at the middle of the left edge and none at its corners: `<`, not K, X, C, S, E, Z, L.

    The arms of `<` reach the top and bottom only at the right; every letter it is mistaken for
    has a stroke in the top-left or bottom-left corner (a stem, an arm, a bowl, a bar).
    """
    height, width = patch.shape
    if height < 6 or width < 4:
        return False
    rows, cols = height // 3, max(1, width // 3)
    left = patch[:, :cols].astype(np.float32)
    top, middle, bottom = left[:rows].mean(), left[rows : height - rows].mean(), left[-rows:].mean()
    return bool(middle > 0.12 and top < 0.35 * middle and bottom < 0.35 * middle)
