"""From OCR glyphs to the lines of a machine-readable zone (ICAO 9303 parts 4 and 5), pure.

The zone is monospaced: each glyph is put in the cell its position says, so a filler `<` that
tesseract dropped or doubled does not shift the rest; two glyphs on one spot are one character.
A cell read as a letter where a filler may stand is looked at once more: a chevron is a filler.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import replace

import numpy as np

from intake.mrz.checks import LAYOUTS, NAMES, Zone, settled
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
        confidence = tuple(cell_confidence(line, length, pitch=pitch) for line in block)
        zone = settled(kind, texts, pitch=pitch, confidence=confidence)
        return second_look(zone, block, ink, length=length, pitch=pitch)
    return None


# -- a second look at the names, which no check digit covers --------------------------------
# Every character of a zone is printed in the same OCR-B: a glyph the OCR read surely is a
# specimen of its character on this very page. A name's glyph that looks more like the page's
# specimens of another character than like those of its own was misread by tesseract, however
# sure it said it was (on the bench: a filler after the name read as K or C, I read as L, G as
# B, at 89-98 % confidence). Such a name is marked unsure; a filler read as the name's last letter
# (it looks like the page's fillers, or has their narrow box) is put back.
_SHAPE = (18, 12)  # rows, columns a glyph's ink is sampled to
_SPECIMEN_CONF = 90.0
_MARGIN = 0.08  # how much nearer another character's specimen must be (mean ink difference)
_ALIKE = 0.125  # at most this far from another character's specimen: a copy of it
# The filler after a name read as K or C has the chevron's narrow box (5-8 px at a 16 px pitch
# on the bench; a printed K or C: 9-11 px).
_NARROW = 0.55


def second_look(
    zone: Zone, block: list[Line], ink: np.ndarray | None, *, length: int, pitch: float
) -> Zone:
    line_no, start, stop = NAMES[zone.format]
    if ink is None or zone.format not in LAYOUTS:
        return zone
    chosen = _chosen(block[line_no], length, pitch)
    specimens = _specimens(block, ink, length, pitch)
    name = zone.lines[line_no][start:stop]
    end = len(name.rstrip("<"))
    fixed, unsure = list(name), False
    for i in range(end):
        glyph = chosen.get(start + i)
        if glyph is None:  # nothing read there: a letter or a filler lost (the rest shifted)
            unsure |= i > 0 and name[i - 1] != "<" and name[i + 1] != "<"
            continue
        if name[i] == "<" or glyph.char != name[i]:
            continue  # a filler, or a character the layout already turned (digit to letter)
        if i == end - 1 and glyph.char in "KC" and glyph.width < _NARROW * pitch:
            fixed[i] = "<"  # the filler after the name, read as a narrow K or C: put back
            continue
        looks = _looks_like(glyph, ink, specimens)
        if looks is None or looks == name[i]:
            continue
        if looks == "<" and i == end - 1:
            fixed[i] = "<"  # the name ended before it: a filler read as a letter
        else:
            unsure = True
    if fixed != list(name):
        lines = list(zone.lines)
        lines[line_no] = lines[line_no][:start] + "".join(fixed) + lines[line_no][stop:]
        zone = replace(zone, lines=tuple(lines))
    return replace(zone, unsure=("names",)) if unsure else zone


def _sample(glyph: Glyph, ink: np.ndarray) -> np.ndarray | None:
    patch = ink[glyph.top : glyph.bottom + 1, glyph.left : glyph.right + 1]
    if patch.shape[0] < 4 or patch.shape[1] < 3:
        return None
    rows = np.linspace(0, patch.shape[0] - 1, _SHAPE[0]).round().astype(int)
    cols = np.linspace(0, patch.shape[1] - 1, _SHAPE[1]).round().astype(int)
    return patch[np.ix_(rows, cols)].astype(np.float32)


def _specimens(block: list[Line], ink: np.ndarray, length: int, pitch: float):
    """Every surely read glyph of the zone's cells: (glyph, its sampled ink, its height)."""
    found = []
    for line in block:
        for glyph in _chosen(line, length, pitch).values():
            if glyph.conf >= _SPECIMEN_CONF and (sample := _sample(glyph, ink)) is not None:
                found.append((glyph, sample, glyph.bottom - glyph.top))
    return found


def _looks_like(glyph: Glyph, ink: np.ndarray, specimens) -> str | None:
    """The letter or filler whose specimens on the page this name glyph's ink is nearest to
    (None: unknown); digits are no candidates, a name has none."""
    sample = _sample(glyph, ink)
    if sample is None:
        return None
    height = max(1, glyph.bottom - glyph.top)
    nearest: dict[str, float] = {}
    for other, shape, other_height in specimens:
        if other is glyph or other.char.isdigit():  # a name holds letters and fillers only
            continue
        distance = float(np.abs(sample - shape).mean()) + abs(other_height - height) / height
        if distance < nearest.get(other.char, 9.0):
            nearest[other.char] = distance
    if not nearest:
        return None
    best = min(nearest, key=nearest.__getitem__)
    own = nearest.get(glyph.char)
    if best == glyph.char or nearest[best] >= _ALIKE:  # no other character's near twin
        return glyph.char
    return best if own is None or nearest[best] < own - _MARGIN else glyph.char


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
    chosen = _chosen(line, length, pitch)
    out = []
    for i in range(length):
        glyph = chosen.get(i)
        if glyph is None or (pattern[i] in "AX" and _filler_after_all(glyph, ink)):
            out.append("<")
        else:
            out.append(glyph.char)
    return "".join(out)


def cell_confidence(line: Line, length: int, *, pitch: float) -> tuple[float, ...]:
    """tesseract's confidence (0-100) in each cell's glyph; 0 for a cell no glyph covers."""
    chosen = _chosen(line, length, pitch)
    return tuple(chosen[i].conf if i in chosen else 0.0 for i in range(length))


def _chosen(line: Line, length: int, pitch: float) -> dict[int, Glyph]:
    glyphs = without_phantoms(line.glyphs)
    origin = glyphs[0].centre
    chosen: dict[int, Glyph] = {}
    for glyph in glyphs:
        for cell in _cells_of(glyph, origin, pitch, length):
            if cell not in chosen or glyph.conf > chosen[cell].conf:
                chosen[cell] = glyph
    return chosen


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
