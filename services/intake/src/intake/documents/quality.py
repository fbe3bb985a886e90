"""Is a page image good enough for an agent (and an OCR) to read?

Every measure is taken on a grayscale copy whose shorter side is scaled down to
`REFERENCE_SHORT_SIDE`, so blur is judged relative to the document, not to the camera's pixel
count: a 3 px blur on a 900 dpi photo of a card is as legible as a 1 px blur at 300 dpi.
Exposure and sharpness are judged on "detail" tiles (40 px tiles whose luminance varies,
std > 10), i.e. on the document rather than on the blank scanner lid or table around it.

| refusal              | measure (luminance 0-255)                        | refused when    |
|----------------------|--------------------------------------------------|-----------------|
| document.too_small   | shorter side of the image, in px                 | < 600           |
| document.too_dark    | paper white: 99th percentile of the image        | < 96            |
| document.overexposed | on detail tiles: clipped share (>= 250) and ink  | > 0.6 and > 36  |
|                      | level (1st percentile)                           |                 |
| document.too_blurred | sharpness: 90th percentile over detail tiles of  | < 30            |
|                      | var(Laplacian of the 3x3-binomial-smoothed page) |                 |

Why these values (measured by tests/unit/test_documents_quality.py on a synthetic ID-1 card at
300 dpi with sensor noise, JPEG-compressed):
- too_small: an ID-1 card is 85.6x54 mm; 600 px over 54 mm is ~280 dpi, which puts an OCR-B MRZ
  character (2.54 mm pitch, ~2.3 mm tall) at ~25 px; a passport page (125x88 mm) still gets
  ~170 dpi, ~16 px per MRZ character, about the least an OCR reads reliably.
- too_dark: the lightest part of a document is its paper; a good scan puts it at >= 200, the
  same scan at x0.15 brightness at ~37. Below ~40 % of full scale too little contrast is left.
- overexposed: clipped white alone is a photocopy on white paper (ink ~11: accepted), lifted ink
  alone is a faded print; both together mean the page is washing out. Good card: 0.0 and ~21;
  x2 brightness (~2 stops): 0.80 and ~41; x3: 0.82 and ~60; a card on a white A4 scan: 0.38.
- too_blurred: text edges dominate the top detail tiles, so blank margins are not penalised; the
  smoothing stops sensor noise passing for sharpness. Sharp ~1700, Gaussian radius 0.5 ~1150,
  1 ~440, 1.5 ~150, 2 ~55 (soft but legible to an agent), 3 ~8 (~18 under heavy noise: 8/B/6
  merge), 4 ~3. The same card at 900 dpi blurred by 3 px measures ~390, like 1 px at 300 dpi.

Known limit: the size floor applies to the whole frame, so a card occupying a corner of a 150 dpi
A4 scan passes it although the card itself is small; agents can still ask for a new scan.

Order: size, then exposure, then blur, because a dark page also has weak edges and "too dark"
is the more useful advice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from .errors import DocumentRefused
from .limits import QualityThresholds

REFERENCE_SHORT_SIDE = 600
TILE = 40
CLIP_LEVEL = 250
DETAIL_STD = 10.0


@dataclass(frozen=True)
class QualityReport:
    """Measures of one page image (all non-personal numbers)."""

    short_side: int
    sharpness: float
    paper_white: float
    ink_level: float
    clipped_share: float


def measure(image: Image.Image) -> QualityReport:
    """Measure size, exposure and sharpness of a decoded page."""
    gray = _reference_gray(image)
    tiles = _tiles(gray)
    detail = tiles.std(axis=1) > DETAIL_STD
    if not detail.any():
        detail[:] = True  # a featureless page is judged as a whole
    document = tiles[detail]
    return QualityReport(
        short_side=min(image.size),
        sharpness=_sharpness(gray, detail),
        paper_white=float(np.percentile(gray, 99)),
        ink_level=float(np.percentile(document, 1)),
        clipped_share=float(np.mean(document >= CLIP_LEVEL)),
    )


def check_quality(image: Image.Image, thresholds: QualityThresholds) -> QualityReport:
    """Refuse a page an agent could not read; return its measures otherwise."""
    if min(image.size) < thresholds.min_short_side:
        raise DocumentRefused(
            "document.too_small",
            {"min_short_side": thresholds.min_short_side, "short_side": min(image.size)},
        )
    report = measure(image)
    if report.paper_white < thresholds.min_paper_white:
        raise DocumentRefused("document.too_dark", {"paper_white": round(report.paper_white)})
    if (
        report.clipped_share > thresholds.max_clipped_share
        and report.ink_level > thresholds.max_ink_level
    ):
        raise DocumentRefused(
            "document.overexposed", {"clipped_percent": round(100 * report.clipped_share)}
        )
    if report.sharpness < thresholds.min_sharpness:
        raise DocumentRefused("document.too_blurred", {"sharpness": round(report.sharpness)})
    return report


def _reference_gray(image: Image.Image) -> np.ndarray:
    """Luminance as float32, scaled down (area-averaged) to the reference shorter side.

    Scaled first, converted after: a full-size grey copy of a 40 MP page would cost 40 MB, and
    box averaging commutes with the (linear) luminance conversion.
    """
    scale = REFERENCE_SHORT_SIDE / min(image.size)
    if scale < 1:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        # BOX averages whole pixels: no aliasing that would fake sharpness, no ringing.
        image = image.resize(size, Image.Resampling.BOX)
    return np.asarray(image.convert("L"), dtype=np.float32)


def _tiles(values: np.ndarray) -> np.ndarray:
    """Whole TILE x TILE tiles, one per row; the whole array as one tile if it is smaller."""
    rows, cols = values.shape[0] // TILE, values.shape[1] // TILE
    if rows == 0 or cols == 0:
        return values.reshape(1, -1)
    cut = values[: rows * TILE, : cols * TILE].reshape(rows, TILE, cols, TILE)
    return cut.transpose(0, 2, 1, 3).reshape(rows * cols, TILE * TILE)


def _sharpness(gray: np.ndarray, detail: np.ndarray) -> float:
    """90th percentile of Laplacian variance over detail tiles: how crisp the page's edges are."""
    smooth = _binomial(gray)
    lap = np.zeros_like(smooth)
    lap[1:-1, 1:-1] = (
        smooth[1:-1, :-2]
        + smooth[1:-1, 2:]
        + smooth[:-2, 1:-1]
        + smooth[2:, 1:-1]
        - 4 * smooth[1:-1, 1:-1]
    )
    return float(np.percentile(_tiles(lap)[detail].var(axis=1), 90))


def _binomial(gray: np.ndarray) -> np.ndarray:
    """3x3 binomial smoothing; pixel noise would otherwise read as sharp edges."""
    rows = gray.copy()
    rows[1:-1, :] = (gray[:-2, :] + 2 * gray[1:-1, :] + gray[2:, :]) / 4
    both = rows.copy()
    both[:, 1:-1] = (rows[:, :-2] + 2 * rows[:, 1:-1] + rows[:, 2:]) / 4
    return both
