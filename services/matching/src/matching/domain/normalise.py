"""Names folded to the Latin form a passport prints, plus the variant keys they match on."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import jellyfish

from contracts import transliteration as tr
from contracts.names import latin


@dataclass(frozen=True)
class NormalisedName:
    """Passport-style tokens, their joined form, and every key an equivalent spelling shares."""

    tokens: tuple[str, ...]
    compact: str
    keys: frozenset[str]


# How Latin spellings of Cyrillic (and Turkish) sounds read under the schemes people meet: the
# English/ICAO one (SHEVCHENKO), the German one (SCHEWTSCHENKO) and the French one (CHEVTCHENKO).
# Each reading maps its spellings to one canonical string, so the three meet on SEVCENKO; the
# scholarly ŠEVČENKO folds there by itself. A name is keyed under every reading: readings that
# do not apply to it only add keys that no other name shares.
_ENGLISH = {"SHCH": "SC", "SH": "S", "CH": "C", "ZH": "Z", "KH": "H", "TS": "C", "W": "V"}
_GERMAN = {"SCHTSCH": "SC", "TSCH": "C", "SCH": "S", "CH": "H", "TZ": "C", "Z": "C", "J": "I"}
_FRENCH = {"CHTCH": "SC", "TCH": "C", "CH": "S", "DJ": "Z", "J": "Z", "OU": "U", "KH": "H"}
# A reading applies only to a name written the way its scheme writes: German J after a consonant
# or in IJ (TETJANA, JURIJ), SCH, or a W; French TCH or OU. So YANG and JANG stay apart.
_READINGS = tuple(
    (re.compile(gate), re.compile("|".join(sorted(table, key=len, reverse=True))), table)
    for gate, table in (
        (r"SH|CH|ZH|KH|TS", _ENGLISH),
        (r"SCH|[B-DF-HK-NP-TV-Z]J|IJ|J$|W", _GERMAN),
        (r"TCH|OU", _FRENCH),
    )
)
_LETTERS = re.compile(r"[A-Z]+")
_REPEATS = re.compile(r"(.)\1+")
_GUE_QUE = re.compile(r"(?<![GQ])UE")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_GREEK = re.compile(r"[\u0370-\u03FF]")


# Cached: scoring normalises both sides of every pair, and names repeat across candidates.
@lru_cache(maxsize=100_000)
def normalise_name(text: str | None) -> NormalisedName:
    """Fold, transliterate and tokenise one name field (surnames or given names)."""
    tokens = _render(text or "", vowels=tr.FOLDED_VOWELS, cyrillic=tr.ICAO_CYRILLIC)
    keys: set[str] = set()
    for variant in _variants(text or ""):
        keys |= _forms(variant)
    keys.discard("")
    return NormalisedName(tokens=tokens, compact="".join(tokens), keys=frozenset(keys))


def core_tokens(name: NormalisedName) -> tuple[str, ...]:
    """Tokens without particles (van, de la, al-), unless particles are all there is."""
    last = len(name.tokens) - 1
    core = tuple(t for i, t in enumerate(name.tokens) if i == last or t not in tr.PARTICLES)
    return core or name.tokens


# Scoring compares the same few tokens against every candidate: both are pure and cached.
@lru_cache(maxsize=100_000)
def token_keys(token: str) -> frozenset[str]:
    """Keys under which one token equals its transliteration and umlaut variants."""
    return frozenset(_spellings(token))


@lru_cache(maxsize=200_000)
def loose(text: str) -> str:
    """Collapse the Latin spellings transliteration schemes disagree on (Y/I, KH/H, doubles)."""
    text = text.replace("KH", "H").replace("PH", "F").replace("X", "KS")
    text = text.replace("Y", "I").replace("W", "V")
    return _REPEATS.sub(r"\1", text)


def phonetic_keys(name: NormalisedName) -> set[str]:
    """Metaphone and NYSIIS codes of each core token, prefixed M:/N:, for a search index."""
    # Soundex is left out: one letter and three digits puts MULLER, MILLER and MAHLER in
    # one bucket, far too coarse for common names. Metaphone catches consonant-sound
    # variants, NYSIIS keeps vowel shape; both run on the loose form so DMITRII/DMITRIY agree.
    keys: set[str] = set()
    tokens = {_without_joined_particle(t) for t in core_tokens(name)} | set(core_tokens(name))
    for token in tokens:
        if len(token) < 2:
            continue
        spelled = loose(token)
        keys.add("M:" + jellyfish.metaphone(spelled))
        keys.add("N:" + jellyfish.nysiis(spelled))
    return keys


def _variants(text: str) -> Iterable[tuple[str, ...]]:
    """Token renderings of the same text under every scheme a passport may have used."""
    yield _render(text, vowels=tr.FOLDED_VOWELS, cyrillic=tr.ICAO_CYRILLIC)
    yield _render(text, vowels=tr.EXPANDED_VOWELS, cyrillic=tr.ICAO_CYRILLIC)
    if _CYRILLIC.search(text):
        yield _render(text, vowels=tr.FOLDED_VOWELS, cyrillic=tr.POPULAR_CYRILLIC)
        yield _render(text, vowels=tr.FOLDED_VOWELS, cyrillic=tr.UKRAINIAN_CYRILLIC)
    if _GREEK.search(text):
        yield _render(
            text,
            vowels=tr.FOLDED_VOWELS,
            cyrillic=tr.ICAO_CYRILLIC,
            greek=tr.POPULAR_GREEK,
            digraphs=tr.POPULAR_GREEK_DIGRAPHS,
        )


def _render(text: str, **scheme) -> tuple[str, ...]:
    """Upper-case A–Z tokens of `text` under one transliteration scheme (contracts' fold)."""
    return tuple(_LETTERS.findall(latin(text, **scheme)))


def _forms(tokens: tuple[str, ...]) -> set[str]:
    """Whole-name keys: joined, particle-free, glued-particle-free, MC/MAC, and their spellings."""
    if not tokens:
        return set()
    compact = "".join(tokens)
    core = "".join(core_tokens(NormalisedName(tokens, compact, frozenset())))
    forms = {compact, core, _without_joined_particle(compact)}
    return {spelling for form in forms for spelling in _spellings(form)}


def _spellings(form: str) -> set[str]:
    """One form plus its umlaut-contracted, MAC and loose spellings."""
    # MUELLER contracts to MULLER, so Latin-only spellings meet the folded Müller too;
    # GUE/QUE are Spanish and French spellings, not umlauts.
    contracted = _GUE_QUE.sub("U", form).replace("AE", "A").replace("OE", "O")
    spellings = {form, contracted}
    spellings |= {"MAC" + s[2:] for s in spellings if s.startswith("MC")}
    spellings |= {reading(s) for s in spellings for reading in _READING_FUNCTIONS}
    return spellings | {loose(s) for s in spellings}


def _read(gate: re.Pattern, pattern: re.Pattern, table: dict[str, str], text: str) -> str:
    return pattern.sub(lambda m: table[m.group(0)], text) if gate.search(text) else text


_READING_FUNCTIONS = tuple(
    (lambda text, g=gate, p=pattern, t=table: _read(g, p, t, text))
    for gate, pattern, table in _READINGS
)


def _without_joined_particle(compact: str) -> str:
    """VANDERBERG → BERG, ALHASSAN → HASSAN; other names unchanged."""
    for prefix, shortest_rest in tr.JOINED_PREFIXES:
        if compact.startswith(prefix) and len(compact) - len(prefix) >= shortest_rest:
            return compact[len(prefix) :]
    return compact
