"""Server-side charts: bar geometry for inline SVG (no script, no library). Pure.

Every chart stands beside its numbers in text: the SVG is decoration for sighted readers
(aria-hidden), the figures are read from the text and the tables.
"""

from collections.abc import Iterable
from dataclasses import dataclass

COLUMN_AREA = (600, 140)  # width, height of a column chart's drawing area
LABEL_ROOM = 18  # under the columns, for the day


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    width: float  # percent of the longest bar (0..100)


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


def bars(items: Iterable[tuple[str, float]]) -> list[Bar]:
    """Horizontal bars, as long as their value relative to the largest (which fills the row)."""
    pairs = list(items)
    top = max((value for _, value in pairs), default=0) or 1
    return [Bar(label, value, round(100 * value / top, 1)) for label, value in pairs]


def columns(items: Iterable[tuple[str, int]]) -> list[Column]:
    """Vertical columns over COLUMN_AREA, oldest on the left, heights relative to the largest."""
    pairs = list(items)
    width, height = COLUMN_AREA
    top = max((value for _, value in pairs), default=0) or 1
    slot = width / max(len(pairs), 1)
    return [
        Column(
            label,
            value,
            x=round(i * slot + slot * 0.15, 1),
            y=round(height - height * value / top, 1),
            width=round(slot * 0.7, 1),
            height=round(height * value / top, 1),
        )
        for i, (label, value) in enumerate(pairs)
    ]


def share(part: int, whole: int) -> float | None:
    """Percent, one decimal; None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None
