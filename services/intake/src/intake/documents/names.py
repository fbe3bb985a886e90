"""A client's file name, made safe to show and never used to store or type a file."""

from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(r"[^\w .()+-]")
_MAX_LENGTH = 100


def safe_display_name(name: str) -> str:
    """Last path segment without control characters, dot-prefixes or odd symbols, for display."""
    name = unicodedata.normalize("NFC", name).split("\x00")[0]
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE.sub("_", base).strip(" .")
    return base[:_MAX_LENGTH] or "document"
