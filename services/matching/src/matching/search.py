"""Candidate search: a bounded set of registry persons from a union of blocking keys.

Blocks, cheapest and most telling first (the order also ranks candidates when the set is full):
0. the same document (number + issuing country);
1. the same birth date (also day/month swapped, and partial dates on either side) with a name
   that sounds alike (phonetic keys) or looks alike (trigram similarity);
2. the same loose surname key (either name field, for swapped names) with birth year ±1;
3. a trigram-similar full name with the same birth year (or any year when the request has none),
   only when the first three found fewer than FALLBACK_BELOW persons: it is the one block
   without a selective index (the year is filtered after the trigram scan), and it matters only
   for names no loose or phonetic key catches (a typo in the surname plus a date slip).
"""

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain import Person
from matching.keys import birth_parts, name_keys, year_keys
from matching.registry import normalise_number

MAX_CANDIDATES = 50
FALLBACK_BELOW = 5
_PER_BLOCK = 50
# A trigram similarity of 0.45 keeps KOWALSKA ANNA / KOVALSKA ANNA and drops most strangers.
_TRIGRAM_THRESHOLD = 0.45


@dataclass(frozen=True)
class Query:
    """What one request is looked up by."""

    document: tuple[str, str] | None
    date_clauses: tuple[tuple[int, int | None, int | None], ...]
    full_name: str
    phonetic: list[str]
    name_year_keys: list[str]
    year: int | None


def query_for(person: Person) -> Query:
    """The blocking keys of a request."""
    keys = name_keys(person.surnames, person.given_names)
    parts = birth_parts(person.birth_date)
    year = parts.year if parts else None
    number = normalise_number(person.document_number)
    document = (number, person.document_country or "") if number else None
    return Query(
        document=document,
        date_clauses=_date_clauses(parts),
        full_name=keys.full_name,
        phonetic=sorted(keys.phonetic | keys.given_phonetic),
        name_year_keys=year_keys(keys.surname_keys | keys.given_keys, year, spread=1)
        if year
        else [],
        year=year,
    )


def _date_clauses(parts) -> tuple[tuple[int, int | None, int | None], ...]:
    """(year, month, day) a registry date may hold to be compatible: None = unknown, 0 = any."""
    if parts is None:
        return ()
    y, m, d = parts.year, parts.month, parts.day
    if m is None:
        # A year alone would scan ~1/50 of the registry here; block 2 (name key + year) covers it.
        return ()
    if d is None:
        return ((y, m, 0), (y, None, None))
    swapped = ((y, d, m),) if d <= 12 and d != m else ()
    return ((y, m, d), *swapped, (y, m, None), (y, None, None))


async def find_candidate_ids(
    tx: AsyncSession, person: Person, *, limit: int = MAX_CANDIDATES
) -> list[int]:
    """Up to `limit` registry person ids worth scoring against `person`, best blocks first."""
    q = query_for(person)
    blocks, params = _blocks(q)
    if not blocks and not q.full_name:
        return []
    await tx.execute(
        text("SELECT set_config('pg_trgm.similarity_threshold', :t, true)"),
        {"t": str(_TRIGRAM_THRESHOLD)},
    )
    found = await _union(tx, blocks, params, limit) if blocks else []
    if len(found) < FALLBACK_BELOW and q.full_name:
        more = await _union(tx, [_trigram_block(q, params)], params, limit)
        found += [pid for pid in more if pid not in found][: limit - len(found)]
    return found


async def _union(tx: AsyncSession, blocks: list[str], params: dict, limit: int) -> list[int]:
    union = " UNION ALL ".join(f"({sql})" for sql in blocks)
    sql = (
        f"SELECT person_id FROM ({union}) AS found GROUP BY person_id "  # noqa: S608
        "ORDER BY min(block), max(similarity) DESC LIMIT :limit"
    )
    return [row.person_id for row in await tx.execute(text(sql), {**params, "limit": limit})]


def _blocks(q: Query) -> tuple[list[str], dict]:
    """The SQL of every indexed block this query can use, and their parameters."""
    blocks, params = [], {"full_name": q.full_name, "per_block": _PER_BLOCK}
    if q.document:
        params |= {"doc_number": q.document[0], "doc_country": q.document[1]}
        blocks.append(
            "SELECT person_id, 0 AS block, 1.0::real AS similarity FROM person_documents "
            "WHERE number = :doc_number AND coalesce(country, '') = :doc_country LIMIT 10"
        )
    if q.date_clauses and q.full_name:
        blocks.append(_same_date_block(q, params))
    if q.name_year_keys:
        params["name_year_keys"] = q.name_year_keys
        blocks.append(
            "SELECT person_id, 2 AS block, similarity(full_name, :full_name) AS similarity "
            "FROM person_names WHERE name_year_keys && CAST(:name_year_keys AS text[]) "
            "LIMIT :per_block"
        )
    return blocks, params


def _trigram_block(q: Query, params: dict) -> str:
    """Block 3: a trigram-similar full name born the same year."""
    params |= {"full_name": q.full_name, "per_block": _PER_BLOCK, "year": q.year}
    same_year = "AND birth_year = :year" if q.year is not None else ""
    # Fixed SQL fragments only; every value is a bound parameter.
    return (
        "SELECT person_id, 3 AS block, similarity(full_name, :full_name) AS similarity "  # noqa: S608
        f"FROM person_names WHERE full_name % :full_name {same_year} "
        "ORDER BY full_name <-> :full_name LIMIT :per_block"
    )


def _same_date_block(q: Query, params: dict) -> str:
    """Block 1: a compatible birth date and a name that sounds or looks alike."""
    ors = []
    for i, (y, m, d) in enumerate(q.date_clauses):
        params |= {f"y{i}": y} | ({f"m{i}": m} if m else {}) | ({f"d{i}": d} if d else {})
        ors.append(f"(p.birth_year = :y{i}{_part('month', m, i)}{_part('day', d, i)})")
    params["phonetic"] = q.phonetic
    # Fixed SQL fragments only; every value is a bound parameter.
    return (
        "SELECT n.person_id, 1 AS block, similarity(n.full_name, :full_name) AS similarity "  # noqa: S608
        "FROM persons p JOIN person_names n ON n.person_id = p.id "
        f"WHERE ({' OR '.join(ors)}) AND (n.phonetic_keys && CAST(:phonetic AS text[]) "
        "OR n.full_name % :full_name) LIMIT :per_block"
    )


def _part(name: str, value: int | None, i: int) -> str:
    """The SQL condition on one date part: equal, unknown (NULL), or anything (0)."""
    if value == 0:
        return ""
    if value is None:
        return f" AND p.birth_{name} IS NULL"
    return f" AND p.birth_{name} = :{name[0]}{i}"
