"""How pages write dates, waits, colons and countries in the page's language (Babel's CLDR data)."""

import unicodedata
from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime

from gateway.i18n import current_language, ngettext

BRUSSELS = ZoneInfo("Europe/Brussels")
# Belgian regional variants: dates read the way a Belgian administration writes them.
LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "de": "de_BE", "en": "en_BE"}
# Babel's territories that are not countries an identity document can name.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


def _moment(value: str | datetime) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(BRUSSELS)


def _first_of_month(text: str, day: int, language: str) -> str:
    """French writes the first day of a month as an ordinal: « 1er décembre »."""
    return text.replace("1 ", "1er ", 1) if language == "fr" and day == 1 else text


def format_day(value: str | date | datetime | None) -> str:
    """A date as a sentence would write it: 1er décembre 2026, 1 December 2026, 1. Dezember 2026."""
    if not value:
        return ""
    if isinstance(value, str) and len(value) == 10:
        day = date.fromisoformat(value)
    else:
        day = _moment(value).date() if isinstance(value, str | datetime) else value
    language = current_language()
    return _first_of_month(format_date(day, "long", locale=LOCALES[language]), day.day, language)


def format_when(value: str | datetime | None) -> str:
    """A moment in Brussels time: 1er décembre 2026, 14:05."""
    if not value:
        return ""
    moment, language = _moment(value), current_language()
    day = _first_of_month(
        format_date(moment, "long", locale=LOCALES[language]), moment.day, language
    )
    return f"{day}, {format_datetime(moment, 'HH:mm', locale=LOCALES[language])}"


def format_birth_date(value: str | None) -> str:
    """A birth date as typed (YYYY, YYYY-MM or YYYY-MM-DD), written out in words."""
    if not value:
        return ""
    parts = value.split("-")
    locale = LOCALES[current_language()]
    if len(parts) == 3:
        return format_day(value)
    if len(parts) == 2:
        return format_date(date(int(parts[0]), int(parts[1]), 1), "MMMM y", locale=locale)
    return parts[0]


def colon(label: str) -> str:
    """A label before its value: French puts a (no-break) space before the colon."""
    return f"{label}\u00a0:" if current_language() == "fr" else f"{label}:"


def waited(hours: float | None) -> str:
    """How long a case has waited, in minutes under two hours, else in hours, else in days."""
    minutes = max(0, round((hours or 0) * 60))
    if minutes < 120:
        return ngettext("%(num)s minute", "%(num)s minutes", minutes) % {"num": minutes}
    if minutes < 48 * 60:
        whole = minutes // 60
        return ngettext("%(num)s hour", "%(num)s hours", whole) % {"num": whole}
    days = minutes // (24 * 60)
    return ngettext("%(num)s day", "%(num)s days", days) % {"num": days}


@cache
def countries(language: str) -> tuple[tuple[str, str], ...]:
    """(ISO 3166-1 alpha-2 code, name in `language`), sorted as the language sorts names."""
    names = Locale.parse(LOCALES[language]).territories
    pairs = [
        (code, name)
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    ]
    return tuple(sorted(pairs, key=lambda pair: _key(pair[1])))


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def country_name(code: str | None) -> str:
    """The country's name in the page's language (the code itself if unknown)."""
    if not code:
        return ""
    return dict(countries(current_language())).get(code.upper(), code)


def country_code(typed: str | None) -> str | None:
    """What a country field holds: a name of the list (any of the four languages) or a code."""
    text = (typed or "").strip()
    if not text:
        return None
    if len(text) == 2 and text.isalpha():
        return text.upper()
    wanted = _key(text)
    for language in (current_language(), *LOCALES):
        for code, name in countries(language):
            if _key(name) == wanted:
                return code
    return text  # intake refuses it, naming the field
