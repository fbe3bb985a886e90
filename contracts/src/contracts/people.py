"""How a worker and a number are written, the same in every page, e-mail, timeline and PDF."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-/]")


def worker_name(surnames: str | None, given_names: str | None = None) -> str:
    """The name as a person reads it: given names first ("Anna Maria Kowalska")."""
    parts = (" ".join((part or "").split()) for part in (given_names, surnames))
    return " ".join(part for part in parts if part)


def sort_name(surnames: str | None, given_names: str | None = None) -> str:
    """The name as a list sorts it: surnames first ("Kowalska Anna Maria")."""
    return worker_name(given_names, surnames)


def format_ssin(value: str | None) -> str:
    """An INSZ/NISS (National Register or BIS number) as printed: YY.MM.DD-SSS.CC.

    Anything that is not 11 digits once dots, dashes and spaces are removed comes back as given,
    so a page never hides what it was handed; None is the empty string.
    """
    if not value:
        return ""
    digits = _SEPARATORS.sub("", value)
    if len(digits) != 11 or not digits.isdigit():
        return value
    return f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}-{digits[6:9]}.{digits[9:11]}"
