"""The lines of a zone made consistent with its layout, and its check digits (ICAO 9303 part 3).

Each cell's kind (letter, digit, either) undoes the OCR's usual confusions (0/O, 1/I, 8/B ...).
Names and optional data are left-justified and padded with fillers, so what follows their end
is filler whatever the OCR saw there. A check digit that still fails is repaired only by one
confusion of one character, and only when exactly one such change makes every check hold:
a check digit catches any single wrong character but not every pair, so a repair is a guess
the person confirms (the reading says which fields were repaired).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace

from mrz.base.functions import hash_string

# Per format, per line: A letter or filler, N digit, X letter/digit/filler, S sex (M, F, <),
# C a check digit that may be a filler (the optional data's).
LAYOUTS = {
    "td3": ("A" * 44, "X" * 9 + "NAAA" + "N" * 7 + "S" + "N" * 7 + "X" * 14 + "CN"),
    "td1": ("AAAAA" + "X" * 9 + "C" + "X" * 15, "N" * 7 + "S" + "N" * 7 + "AAA" + "X" * 11 + "N", "A" * 30),
}  # fmt: skip
# The checked fields: (line, start, end) of the value, then its check digit's position.
CHECKED = {
    "td3": {"document_number": (1, 0, 9, 9), "birth_date": (1, 13, 19, 19),
            "expiry_date": (1, 21, 27, 27), "optional_data": (1, 28, 42, 42),
            "composite": (1, 43, 43, 43)},
    "td1": {"document_number": (0, 5, 14, 14), "birth_date": (1, 0, 6, 6),
            "expiry_date": (1, 8, 14, 14), "composite": (1, 29, 29, 29)},
}  # fmt: skip
# Where names and optional data are, as (line, start, end): their ends are padded with fillers.
NAMES = {"td3": (0, 5, 44), "td1": (2, 0, 30)}
_OPTIONAL = {"td3": [(1, 28, 42)], "td1": [(0, 15, 30), (1, 18, 29)]}
_TO_DIGIT = str.maketrans("OQDUILTZSBG", "00001112586")
_TO_LETTER = str.maketrans("0125864", "OIZSBGA")
# What OCR-B characters are mistaken for by tesseract's English model (seen on specimens):
# letter/digit twins first, tried alone; then digits among themselves.
_CONFUSIONS = (
    {"0": "O", "O": "0", "1": "I", "I": "1", "8": "B", "B": "8", "5": "S", "S": "5", "2": "Z",
     "Z": "2", "6": "G", "G": "6", "7": "Z", "9": "I"},
    {"0": "86", "1": "7", "8": "306", "5": "6", "6": "58", "3": "8", "7": "1", "9": "8"},
)  # fmt: skip
_ALPHANUMERIC = frozenset({"document_number", "optional_data"})


@dataclass(frozen=True)
class Zone:
    """The zone as read: its format, its lines, which check digits hold, which were repaired."""

    format: str
    lines: tuple[str, ...]
    checks: dict[str, bool] = field(default_factory=dict)
    repaired: tuple[str, ...] = ()
    pitch: float = 0.0  # px between characters as read: the reader rescales to its best size
    # tesseract's confidence per cell of each line, as read (empty when not known)
    confidence: tuple[tuple[float, ...], ...] = field(default=(), compare=False, repr=False)
    as_read: tuple[str, ...] = field(default=(), compare=False, repr=False)  # before any fix
    # Fields no check digit covers (names) whose reading the page itself disputes: to confirm.
    unsure: tuple[str, ...] = ()

    @property
    def trusted(self) -> bool:
        """Every check digit holds as read (nothing repaired) and no field is disputed."""
        return self.valid and not self.repaired and not self.unsure

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(self.checks.values())


def settled(
    kind: str,
    texts: tuple[str, ...],
    *,
    pitch: float = 0.0,
    confidence: tuple[tuple[float, ...], ...] = (),
) -> Zone:
    """The zone with kinds fixed, padded ends cleared, check digits evaluated and repaired."""
    lines = tuple(fix_kinds(t, p) for t, p in zip(texts, LAYOUTS[kind], strict=True))
    lines = _padded(lines, [NAMES[kind]], "<<<")
    lines = _padded(lines, _OPTIONAL[kind], "<<")
    zone = repaired(Zone(kind, lines, pitch=pitch))
    return replace(zone, confidence=confidence, as_read=texts)


def fix_kinds(text: str, pattern: str) -> str:
    """Letters where digits must be and digits where letters must be, turned back."""
    out = []
    for char, kind in zip(text, pattern, strict=True):
        if kind == "N" or (kind == "C" and char != "<"):
            char = char.translate(_TO_DIGIT)
        elif kind == "A":
            char = char.translate(_TO_LETTER)
        elif kind == "S" and char not in "MF<":
            char = "<"
        out.append(char)
    return "".join(out)


def _padded(lines: tuple[str, ...], fields, end: str) -> tuple[str, ...]:
    """After a field's end (`end`: fillers no value holds) only fillers: the rest is noise."""
    out = list(lines)
    for line, start, stop in fields:
        value = out[line][start:stop]
        found = re.search(re.escape(end), value)
        if found is not None:
            value = value[: found.start()].ljust(stop - start, "<")
        out[line] = out[line][:start] + value + out[line][stop:]
    return tuple(out)


def checks_of(kind: str, lines: tuple[str, ...]) -> dict[str, bool]:
    """Each check digit of the zone: does it hold?"""
    checks = {}
    for name, (line, start, end, at) in CHECKED[kind].items():
        if name == "composite":
            value, digit = composite_input(kind, lines)
        else:
            value, digit = lines[line][start:end], lines[line][at]
        empty_optional = name == "optional_data" and set(value + digit) == {"<"}
        checks[name] = empty_optional or hash_string(value) == digit
    return checks


def composite_input(kind: str, lines: tuple[str, ...]) -> tuple[str, str]:
    """The composite check's covered text and its digit."""
    first, second = lines[0], lines[1]
    if kind == "td3":
        return second[0:10] + second[13:20] + second[21:43], second[43]
    return first[5:30] + second[0:7] + second[8:15] + second[18:29], second[29]


def repaired(zone: Zone) -> Zone:
    """The zone with its checks, repaired when exactly one set of single confusions fixes all."""
    checks = checks_of(zone.format, zone.lines)
    failing = [name for name, ok in checks.items() if not ok]
    if not failing:
        return Zone(zone.format, zone.lines, checks, pitch=zone.pitch)
    for table in _CONFUSIONS:
        fixes = _fixes(zone, failing, table)
        if len(fixes) == 1:
            changed = tuple(n for n in failing if _value(zone, n) != _value_in(zone, fixes[0], n))
            return Zone(zone.format, fixes[0], checks_of(zone.format, fixes[0]), changed,
                        zone.pitch)  # fmt: skip
        if fixes:
            break  # several repairs fit: none is taken
    return Zone(zone.format, zone.lines, checks, pitch=zone.pitch)


def _fixes(zone: Zone, failing: list[str], table: dict[str, str]) -> list[tuple[str, ...]]:
    """Every set of one-confusion changes (one per failing field) that makes all checks hold."""
    # The composite digit may hold again once the fields it covers are repaired.
    options = [
        ([_value(zone, name)] if name == "composite" else []) + _alternatives(zone, name, table)
        for name in failing
    ]
    fixes = []
    for choice in itertools.product(*options):
        lines = zone.lines
        for name, value in zip(failing, choice, strict=True):
            lines = _with_field(zone.format, lines, name, value)
        if all(checks_of(zone.format, lines).values()):
            fixes.append(lines)
    return fixes


def _value(zone: Zone, name: str) -> str:
    """The field with its check digit, as read."""
    return _value_in(zone, zone.lines, name)


def _value_in(zone: Zone, lines: tuple[str, ...], name: str) -> str:
    line, start, _, at = CHECKED[zone.format][name]
    return lines[line][start : at + 1]


def _alternatives(zone: Zone, name: str, table: dict[str, str]) -> list[str]:
    """Every one-confusion change of the field and its check digit (never the field as read)."""
    original = _value(zone, name)
    found = []
    for i, char in enumerate(original):
        digit_only = name not in _ALPHANUMERIC or i == len(original) - 1
        # A letter/digit field is only repaired by letter/digit twins: OCR-B keeps other
        # characters apart well, and a digit swap there would just be a guess.
        if not digit_only and table is not _CONFUSIONS[0]:
            continue
        for swap in table.get(char, ""):
            if digit_only and not swap.isdigit():
                continue
            found.append(original[:i] + swap + original[i + 1 :])
    return found


def _with_field(kind: str, lines: tuple[str, ...], name: str, value: str) -> tuple[str, ...]:
    line, start, _, _ = CHECKED[kind][name]
    out = list(lines)
    out[line] = out[line][:start] + value + out[line][start + len(value) :]
    return tuple(out)
