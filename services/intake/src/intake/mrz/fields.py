"""A zone in the wizard's terms: what it pre-fills in steps 1 and 2, and where the typed data differ.

The zone prints names in upper-case Latin letters (ICAO 9303 part 3: Ü as UE or U, hyphens and
spaces as `<`) and may cut long names; a typed name agrees when one of its transliterations
reads the same letters, or begins with the zone's letters when the zone's name field is full.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pycountry

from contracts import transliteration as tr
from contracts.names import latin
from intake.mrz.checks import Zone

# ICAO codes that are not ISO 3166-1 alpha-3 (Doc 9303 part 3, 5), as the wizard's alpha-2.
_ICAO_COUNTRIES = {"D": "DE", "RKS": "XK", "UNK": "XK", "GBD": "GB", "GBN": "GB", "GBO": "GB",
                   "GBP": "GB", "GBS": "GB"}  # fmt: skip
_SEX = {"M": "male", "F": "female", "<": "unknown"}
COMPARED = ("surnames", "given_names", "sex", "birth_date", "nationality", "document_number",
            "document_expiry_date", "type", "issuing_country")  # fmt: skip


def parts(zone: Zone) -> dict[str, str]:
    """The zone's fields as printed (ICAO positions)."""
    first, second = zone.lines[0], zone.lines[1]
    if zone.format == "td3":
        return {"code": first[0:2], "issuer": first[2:5], "names": first[5:44],
                "number": second[0:9], "nationality": second[10:13], "birth": second[13:19],
                "sex": second[20], "expiry": second[21:27]}  # fmt: skip
    return {"code": first[0:2], "issuer": first[2:5], "number": first[5:14],
            "birth": second[0:6], "sex": second[7], "expiry": second[8:14],
            "nationality": second[15:18], "names": zone.lines[2]}  # fmt: skip


def prefill(zone: Zone, *, today: date) -> dict[str, dict[str, Any]]:
    """The document and person steps as the zone says them (only what it says)."""
    p = parts(zone)
    surname, _, given = p["names"].partition("<<")
    person = {
        "surnames": _words(surname),
        "given_names": _words(given),
        "sex": _SEX.get(p["sex"], "unknown"),
        "birth_date": _birth_date(p["birth"], today),
        "nationality": country(p["nationality"]),
        "document_number": p["number"].replace("<", "") or None,
        "document_expiry_date": _expiry_date(p["expiry"]),
    }
    document = {
        "type": "passport" if p["code"].startswith("P") else "identity_card",
        "issuing_country": country(p["issuer"]),
    }
    return {
        "document": {k: v for k, v in document.items() if v},
        "person": {k: v for k, v in person.items() if v},
    }


def differences(zone: Zone, steps: dict[str, Any], *, today: date) -> list[str]:
    """The fields whose typed value is not what the zone says (fields not typed are not listed)."""
    said = prefill(zone, today=today)
    typed = {**(steps.get("document") or {}), **(steps.get("person") or {})}
    expected = {**said["document"], **said["person"]}
    names_full = not parts(zone)["names"].endswith("<")
    found = []
    for name in COMPARED:
        value, zone_value = typed.get(name), expected.get(name)
        if value in (None, "") or zone_value is None:
            continue
        if name in ("surnames", "given_names"):
            same = same_name(str(value), zone_value, cut=names_full)
        elif name == "birth_date":
            same = zone_value.startswith(str(value)) or str(value).startswith(zone_value)
        elif name == "document_number":
            same = _compact(str(value)) == _compact(zone_value)
        else:
            same = str(value).upper() == str(zone_value).upper()
        if not same:
            found.append(name)
    return found


def same_name(typed: str, zone_name: str, *, cut: bool = False) -> bool:
    """Does the typed name read as the zone's letters under one of the ICAO spellings?"""
    wanted = _letters(zone_name)
    for vowels in (tr.FOLDED_VOWELS, tr.EXPANDED_VOWELS):
        letters = _letters(latin(typed, vowels=vowels))
        if letters == wanted or (cut and letters.startswith(wanted)):
            return True
    return False


def country(code: str) -> str | None:
    """An ICAO three-letter code as ISO 3166-1 alpha-2 (None when not a country)."""
    code = code.replace("<", "")
    if code in _ICAO_COUNTRIES:
        return _ICAO_COUNTRIES[code]
    found = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    return found.alpha_2 if found else None


def _words(field: str) -> str | None:
    words = [w for w in field.split("<") if w]
    return " ".join(w.capitalize() for w in words) or None


def _letters(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalpha())


def _compact(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _birth_date(yymmdd: str, today: date) -> str | None:
    """YYMMDD in the past century that puts it before today; unknown parts (`<`) left out."""
    if not yymmdd[:2].isdigit():
        return None
    year = 2000 + int(yymmdd[:2])
    if year > today.year:
        year -= 100
    return _partial(year, yymmdd[2:4], yymmdd[4:6])


def _expiry_date(yymmdd: str) -> str | None:
    """Expiry dates of documents still in use are in this century."""
    if not yymmdd.isdigit():
        return None
    return _partial(2000 + int(yymmdd[:2]), yymmdd[2:4], yymmdd[4:6], full=True)


def _partial(year: int, month: str, day: str, *, full: bool = False) -> str | None:
    if not month.isdigit() or not 1 <= int(month) <= 12:
        return None if full else f"{year:04d}"
    if not day.isdigit():
        return None if full else f"{year:04d}-{month}"
    try:
        return date(year, int(month), int(day)).isoformat()
    except ValueError:
        return None if full else f"{year:04d}-{month}"
