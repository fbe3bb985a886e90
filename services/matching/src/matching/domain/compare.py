"""Field-by-field agreement levels between a request and a registry candidate."""

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from matching.domain.levels import Level
from matching.domain.normalise import NormalisedName, core_tokens, loose, normalise_name, token_keys
from matching.domain.person import Person

# Jaro-Winkler ≥ 0.92 keeps one-letter typos (KATARZYMA) and drops different names
# that merely share a start (ANNA/ANKA stays similar, ANNA/EWA does not).
_SIMILAR_JW = 0.92
_SIMILAR_TOKEN_SET = 90
# One edit (OSA: insert, delete, replace, or swap two neighbours) is a typo in any name of three
# letters or more: KYLE/YKLE, SAM/SMA score 0.91 and 0.82 on Jaro-Winkler but are one keystroke.
_SHORTEST_TYPO = 3
# Two edits (or Jaro-Winkler ≥ 0.85) only in long names, where two names that far apart are rare.
_FUZZY_JW, _FUZZY_LENGTH = 0.85, 7
AGREEING = frozenset(
    {Level.EXACT, Level.EQUIVALENT, Level.SUBSET, Level.ONE_OF_SEVERAL, Level.SIMILAR}
)
_RANK = {level: rank for rank, level in enumerate(Level)}


@dataclass(frozen=True)
class NameAgreement:
    """Surname and given-name levels, and the request's text and candidate field each compared.

    Levels are always aligned to the candidate's fields: with swapped names the surname level is
    the candidate's surname against the request's given names, so each name is weighed with its
    own field's term frequency (a given name is rare as a surname: weighed as one, a swap of
    ANNA KOWALSKA scored ~28 bits of names against ~15 for the same names in their order).
    """

    surname: Level
    given_names: Level
    swapped: bool
    matched_surname: NormalisedName
    matched_given: NormalisedName
    requested_surname: str | None = None
    requested_given: str | None = None


def name_agreement(request: Person, candidate: Person) -> NameAgreement:
    """Compare names straight, and crossed in case surname and given names were swapped."""
    req_sur, req_giv = normalise_name(request.surnames), normalise_name(request.given_names)
    cand_sur, cand_giv = normalise_name(candidate.surnames), normalise_name(candidate.given_names)
    straight = (name_level(req_sur, cand_sur), given_level(req_giv, cand_giv))
    crossed = (name_level(req_giv, cand_sur), given_level(req_sur, cand_giv))
    # Only call it a swap when the straight reading fails and the crossed one fully agrees.
    if Level.DISAGREE in straight and all(level in AGREEING for level in crossed):
        return NameAgreement(
            *crossed, True, cand_sur, cand_giv, request.given_names, request.surnames
        )
    return NameAgreement(
        *straight, False, cand_sur, cand_giv, request.surnames, request.given_names
    )


def given_level(a: NormalisedName, b: NormalisedName) -> Level:
    """name_level for given names, where one name found among several is its own, weak level.

    ANNA against ANNA MARIA is the same person typed short, or her sister Anna Ewa, or a stranger
    sharing the commonest given name: one agreeing given name out of several is weak evidence.
    """
    level = name_level(a, b)
    counts = sorted((len(set(core_tokens(a))), len(set(core_tokens(b)))))
    if level is Level.SUBSET and counts[0] == 1:
        return Level.FIRST_OF_SEVERAL if _same_first(a, b) else Level.ONE_OF_SEVERAL
    # One name found, with a typo, among several (NIKOLKAY in MARTIN NIKOLKAY): no stronger.
    if level in (Level.SIMILAR, Level.FUZZY) and counts[0] == 1 < counts[1]:
        return Level.ONE_OF_SEVERAL
    return level


def _same_first(a: NormalisedName, b: NormalisedName) -> bool:
    """True when both sides' first given names are one name (spelling variants aside)."""
    first_a, first_b = core_tokens(a)[0], core_tokens(b)[0]
    return first_a == first_b or bool(token_keys(first_a) & token_keys(first_b))


def name_level(a: NormalisedName, b: NormalisedName) -> Level:
    """Exact, equivalent spelling, one name missing, typo-similar, or different."""
    if not a.tokens or not b.tokens:
        return Level.MISSING
    if a.compact == b.compact or sorted(a.tokens) == sorted(b.tokens):
        return Level.EXACT
    if a.keys & b.keys:
        return Level.EQUIVALENT
    token_level = _token_level(core_tokens(a), core_tokens(b))
    if token_level is not None:
        return token_level
    if _similar(loose(a.compact), loose(b.compact)):
        return Level.SIMILAR
    if _fuzzy(loose(a.compact), loose(b.compact)):
        return Level.FUZZY
    return Level.DISAGREE


def _token_level(a: tuple[str, ...], b: tuple[str, ...]) -> Level | None:
    """Level when every token of the shorter name is found in the longer one, else None."""
    shorter, longer = sorted((a, b), key=len)
    found = [min((_token_match(s, t) for t in longer), key=_RANK.__getitem__) for s in shorter]
    if any(level is Level.DISAGREE for level in found):
        return None
    weakest = max(found, key=_RANK.__getitem__)
    if weakest in (Level.SIMILAR, Level.FUZZY):
        return weakest
    return Level.SUBSET if len(set(shorter)) < len(set(longer)) else Level.EQUIVALENT


@lru_cache(maxsize=200_000)
def _token_match(a: str, b: str) -> Level:
    """Agreement of two single tokens."""
    if a == b or token_keys(a) & token_keys(b):
        return Level.EQUIVALENT
    if _similar(loose(a), loose(b)):
        return Level.SIMILAR
    if _fuzzy(loose(a), loose(b)):
        return Level.FUZZY
    return Level.DISAGREE


def _similar(a: str, b: str) -> bool:
    """Typo-level closeness of two spellings: one edit, or Jaro-Winkler ≥ 0.92."""
    if min(len(a), len(b)) >= _SHORTEST_TYPO and OSA.distance(a, b, score_cutoff=1) <= 1:
        return True
    return JaroWinkler.normalized_similarity(a, b) >= _SIMILAR_JW or (
        " " in a and fuzz.token_set_ratio(a, b) >= _SIMILAR_TOKEN_SET
    )


def _fuzzy(a: str, b: str) -> bool:
    """Two typos in a long name: two edits, or Jaro-Winkler ≥ 0.85."""
    if min(len(a), len(b)) < _FUZZY_LENGTH:
        return False
    return (
        OSA.distance(a, b, score_cutoff=2) <= 2
        or JaroWinkler.normalized_similarity(a, b) >= _FUZZY_JW
    )


def place_agreement(a: str | None, b: str | None) -> Level:
    """Birth places: same name, a contained or typo-close name, or different."""
    first, second = normalise_name(a), normalise_name(b)
    if not first.tokens or not second.tokens:
        return Level.MISSING
    if first.compact == second.compact or first.keys & second.keys:
        return Level.EXACT
    # "WARSZAWA MOKOTOW" vs "WARSZAWA": districts and suffixes are common in birth places.
    joined_a, joined_b = " ".join(first.tokens), " ".join(second.tokens)
    if fuzz.token_set_ratio(joined_a, joined_b) >= _SIMILAR_TOKEN_SET or _similar(
        loose(first.compact), loose(second.compact)
    ):
        return Level.SIMILAR
    return Level.DISAGREE


def code_agreement(a: str | None, b: str | None) -> Level:
    """Country, nationality or sex codes: equal, different, or unknown on one side."""
    first, second = _code(a), _code(b)
    if not first or not second or "UNKNOWN" in (first, second):
        return Level.MISSING
    return Level.EXACT if first == second else Level.DISAGREE


def document_agreement(request: Person, candidate: Person) -> Level:
    """Same document, a typo in its number, another document (renewal?), or not comparable."""
    kinds = (_code(request.document_type), _code(request.document_country))
    if kinds != (_code(candidate.document_type), _code(candidate.document_country)):
        return Level.MISSING  # a passport says nothing about an ID card's number
    first, second = _number(request.document_number), _number(candidate.document_number)
    if not first or not second or not all(kinds):
        return Level.MISSING
    if first == second:
        return Level.EXACT
    if Levenshtein.distance(first, second) == 1:
        return Level.ONE_DIGIT_OFF
    return Level.DIFFERENT_NUMBER


def _code(value: str | None) -> str:
    """Upper-case trimmed code, empty when absent."""
    return (value or "").strip().upper()


def _number(value: str | None) -> str:
    """Document number without spaces, dashes or dots."""
    return re.sub(r"[^0-9A-Z]", "", _code(value))
