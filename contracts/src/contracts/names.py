"""Names folded to the Latin letters a passport prints: one rule for every service.

matching compares and indexes names on these letters; history folds the names it lets employers
search with the same table, so a name typed in either place (Müller, Mueller, Шевченко,
Łukasz) meets the same letters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from anyascii import anyascii

from contracts import transliteration as tr

_APOSTROPHES = re.compile(r"['’‘`´ʼʻ]")
# Assimilated Arabic article (Ar-Rashid, As-Sayed, Ad-Din) is one particle, spelled AL.
_ARABIC_ARTICLE = re.compile(r"\b(?:AL|EL|UL|AR|AS|AD|AZ|AN|AT|ASH|ADH|ATH)-")
_WORDS = re.compile(r"[A-Z0-9]+")

Table = Mapping[str, str]


def latin(
    text: str | None,
    *,
    vowels: Table = tr.FOLDED_VOWELS,
    cyrillic: Table = tr.ICAO_CYRILLIC,
    greek: Table = tr.ICAO_GREEK,
    digraphs: Table = tr.GREEK_DIGRAPHS,
) -> str:
    """Upper-case ASCII under one transliteration scheme (ICAO 9303 and folded vowels unless told)."""
    # Upper-casing first turns ı into I and ß into SS; İ loses its dot with the accents.
    text = unicodedata.normalize("NFC", text or "").upper()
    text = _translate(_translate(_translate(text, tr.SPECIAL_LATIN), vowels), cyrillic)
    text = _strip_marks(text)  # after Cyrillic: Й and Ё must not lose their marks first
    for pair, letters in digraphs.items():
        text = text.replace(pair, letters)
    text = anyascii(_translate(text, greek)).upper()
    return _ARABIC_ARTICLE.sub("AL ", _APOSTROPHES.sub("", text))


@lru_cache(maxsize=50_000)
def fold(text: str | None) -> str:
    """Lower-case words of Latin letters and digits: Müller-Łukasz → 'muller lukasz'."""
    return " ".join(_WORDS.findall(latin(text))).lower()


def _translate(text: str, table: Table) -> str:
    return text.translate(str.maketrans(dict(table)))


def _strip_marks(text: str) -> str:
    """Drop accents, keep base letters."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare)
