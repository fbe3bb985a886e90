"""Candidate search: a bounded set of registry persons from a union of blocking keys.

Blocks, cheapest and most telling first (the order also ranks candidates when the set is full):
0. the same document (number + issuing country);
1. the same birth date (also day/month swapped, and a registry date known to the month) with a
   name token that sounds alike (phonetic keys of surnames and given names: a married surname
   still meets its given name) or a name that looks alike (trigram similarity);
2. the same home with a name token: postal code or street, house number, and a token of either
   name field (`person_addresses.match_keys`): a changed surname and a slipped date still meet;
3. a date one keystroke away (a digit of the month or day, the year ±1: ~25 dates of a few
   dozen persons each at a million) with a name token that sounds alike; and the same loose
   surname key (either name field, for swapped names) with birth year ±1;
4. the same SURNAME+GIVEN token pair (either order) whatever the birth year
   (`person_names.pair_keys`), closest birth years first: a mistyped or partial year;
5. a surname key one typo away (a letter replaced, dropped, added, or two swapped) with birth
   year ±1, only when the others found fewer than FALLBACK_BELOW persons (checked inside the
   same query): an exact GIN probe of `typo_year_keys` (migration 0003);
6. a trigram-similar full name, any year: only for a request without a birth year (which lacks
   the minimum data anyway), the one block without a selective index.

Blocks 0-5 run as one query (one round trip); every block is bounded by its own LIMIT. The
candidates kept are those of blocks 0-2 first (document, date, home: each a strong agreement),
then the most similar full names of the others: a common surname's year block no longer crowds
out the same full name found by its pair.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain import Person
from matching.domain.keys import (
    address_keys,
    birth_parts,
    name_keys,
    name_tokens,
    pair_keys,
    year_keys,
)
from matching.repository.registry import normalise_number

MAX_CANDIDATES = 50
FALLBACK_BELOW = 5
_PER_BLOCK = 50
# A trigram similarity of 0.45 keeps KOWALSKA ANNA / KOVALSKA ANNA and drops most strangers.
_TRIGRAM_THRESHOLD = 0.45
_GATE = "(SELECT count(DISTINCT person_id) FROM found) < :fallback_below"
_PER_KEY = 20


@dataclass(frozen=True)
class Query:
    """What one request is looked up by."""

    document: tuple[str, str] | None
    date_clauses: tuple[tuple[int, int | None, int | None], ...]
    full_name: str
    phonetic: list[str]
    name_year_keys: list[str]
    year: int | None
    pair_keys: list[str]
    address_keys: list[str]
    near_dates: tuple[tuple[int, int, int], ...] = ()


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
        pair_keys=pair_keys(keys, both_orders=True),
        address_keys=address_keys(person.addresses, name_tokens(keys)),
        near_dates=_near_dates(parts),
    )


def _near_dates(parts) -> tuple[tuple[int, int, int], ...]:
    """The calendar dates one keystroke from a full date: a digit of the month or day, the year ±1.

    A mistyped date with a moved address and a common surname met no block before (the surname
    and year blocks are full of namesakes); these dates hold ~25 persons each at a million.
    """
    if parts is None or parts.month is None or parts.day is None:
        return ()
    y, m, d = parts.year, parts.month, parts.day
    text = f"{m:02d}{d:02d}"
    found = {(y - 1, m, d), (y + 1, m, d)}
    for i in range(4):
        for digit in "0123456789":
            if digit != text[i]:
                other = text[:i] + digit + text[i + 1 :]
                found.add((y, int(other[:2]), int(other[2:])))
    return tuple(sorted(date for date in found if _is_date(*date) and date != (y, d, m)))


def _is_date(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def _date_clauses(parts) -> tuple[tuple[int, int | None, int | None], ...]:
    """(year, month, day) a registry date may hold to be compatible: None = unknown, 0 = any."""
    if parts is None:
        return ()
    y, m, d = parts.year, parts.month, parts.day
    # Only day-precise clauses: "any day of that month" (~1/600 of the registry) and "registry
    # knows the year only" (~1/100 of a year's births, but in every request's block) would put
    # thousands of persons in the nested loop at a million; block 2 (name key + year ±1) and
    # block 3 (typo key + year ±1) cover those persons.
    if m is None or d is None:
        return ((y, m, None),) if m is not None else ()
    swapped = ((y, d, m),) if d <= 12 and d != m else ()
    return ((y, m, d), *swapped, (y, m, None))


async def find_candidate_ids(
    tx: AsyncSession, person: Person, *, limit: int = MAX_CANDIDATES
) -> list[int]:
    """Up to `limit` registry person ids worth scoring against `person`, best blocks first."""
    q = query_for(person)
    blocks, params = _blocks(q)
    if not blocks and not q.full_name:
        return []
    found = await _ranked(tx, blocks, _typo_block(q, params), params, limit) if blocks else []
    if len(found) < FALLBACK_BELOW and q.full_name and q.year is None:
        # No birth year at all: the only block left is a trigram scan over every year. Such a
        # request lacks the minimum data anyway (every alternative needs a birth date).
        await tx.execute(
            text("SELECT set_config('pg_trgm.similarity_threshold', :t, true)"),
            {"t": str(_TRIGRAM_THRESHOLD)},
        )
        more = await _ranked(tx, [_trigram_block(q, params)], None, params, limit)
        found += [pid for pid in more if pid not in found][: limit - len(found)]
    return found


async def _ranked(
    tx: AsyncSession, blocks: list[str], fallback: str | None, params: dict, limit: int
) -> list[int]:
    """One round trip: the blocks, the fallback only when they found too few, best first."""
    union = " UNION ALL ".join(f"({sql})" for sql in blocks)
    if fallback:
        # An uncorrelated condition: PostgreSQL checks it once and skips the probe otherwise.
        union = (
            f"WITH found AS MATERIALIZED ({union}) SELECT * FROM found UNION ALL "  # noqa: S608
            f"({fallback.format(gate=_GATE)})"
        )
    sql = (
        f"SELECT person_id FROM ({union}) AS found GROUP BY person_id "  # noqa: S608
        "ORDER BY min(block) <= 2 DESC, max(similarity) DESC, min(block) LIMIT :limit"
    )
    bound = {**params, "limit": limit, "fallback_below": FALLBACK_BELOW, "per_key": _PER_KEY}
    return [row.person_id for row in await tx.execute(text(sql), bound)]


def _blocks(q: Query) -> tuple[list[str], dict]:
    """The SQL of every indexed block this query can use, and their parameters."""
    blocks = []
    params = {
        "full_name": q.full_name,
        "per_block": _PER_BLOCK,
        "trgm": _TRIGRAM_THRESHOLD,
    }
    if q.document:
        params |= {"doc_number": q.document[0], "doc_country": q.document[1]}
        blocks.append(
            "SELECT person_id, 0 AS block, 1.0::real AS similarity FROM person_documents "
            "WHERE number = :doc_number AND coalesce(country, '') = :doc_country LIMIT 10"
        )
    if q.date_clauses and q.full_name:
        blocks.append(_same_date_block(q, params))
    if q.near_dates and q.phonetic:
        blocks.append(_near_date_block(q, params))
    if q.address_keys:
        params["address_keys"] = q.address_keys
        blocks.append(
            "SELECT a.person_id, 2 AS block, max(similarity(n.full_name, :full_name)) AS similarity "
            "FROM (SELECT person_id FROM person_addresses "
            "WHERE match_keys && CAST(:address_keys AS text[]) LIMIT :per_block) AS a "
            "JOIN person_names n ON n.person_id = a.person_id GROUP BY a.person_id"
        )
    if q.name_year_keys:
        params["name_year_keys"] = q.name_year_keys
        blocks.append(
            "SELECT person_id, 3 AS block, similarity(full_name, :full_name) AS similarity "
            "FROM person_names WHERE name_year_keys && CAST(:name_year_keys AS text[]) "
            "LIMIT :per_block"
        )
    if q.pair_keys:
        params["pair_keys"] = q.pair_keys
        params["pair_year"] = q.year
        # The same names in another year: the closest years first (a common name pair fills
        # the block with namesakes of every age).
        blocks.append(
            "SELECT person_id, 4 AS block, similarity(full_name, :full_name) AS similarity "
            "FROM person_names WHERE pair_keys && CAST(:pair_keys AS text[]) "
            "ORDER BY abs(coalesce(birth_year, 0) - coalesce(CAST(:pair_year AS int), 0)), "
            "similarity DESC LIMIT :per_block"
        )
    return blocks, params


def _typo_block(q: Query, params: dict) -> str | None:
    """Block 3: a surname key one typo away (matching_typo_keys, migration 0003), year ±1."""
    if not q.name_year_keys:
        return None
    params["name_year_keys"] = q.name_year_keys
    # One probe per key, each bounded (the planner cannot estimate a 50-key overlap and would
    # rather scan the table): a common key costs at most :per_key rows.
    return (
        "SELECT t.person_id, 5 AS block, max(similarity(t.full_name, :full_name)) AS similarity "
        "FROM unnest(matching_typo_keys(CAST(:name_year_keys AS text[]))) AS k(key) "
        "CROSS JOIN LATERAL (SELECT person_id, full_name FROM person_names "
        "WHERE typo_year_keys @> ARRAY[k.key] LIMIT :per_key) AS t "
        "WHERE {gate} GROUP BY t.person_id ORDER BY similarity DESC LIMIT :per_block"
    )


def _trigram_block(q: Query, params: dict) -> str:
    """A trigram-similar full name, any year: for requests without a birth year only."""
    params |= {"full_name": q.full_name, "per_block": _PER_BLOCK}
    return (
        "SELECT person_id, 6 AS block, similarity(full_name, :full_name) AS similarity "
        "FROM person_names WHERE full_name % :full_name "
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
        "OR similarity(n.full_name, :full_name) >= :trgm) LIMIT :per_block"
    )


def _near_date_block(q: Query, params: dict) -> str:
    """Block 3: a date one keystroke away (`_near_dates`) and a name token that sounds alike."""
    for i, part in enumerate(("near_y", "near_m", "near_d")):
        params[part] = [near[i] for near in q.near_dates]
    params["phonetic"] = q.phonetic
    # One probe per date on ix_persons_birth_date (a date holds a few dozen persons).
    return (
        "SELECT n.person_id, 3 AS block, similarity(n.full_name, :full_name) AS similarity "
        "FROM unnest(CAST(:near_y AS int[]), CAST(:near_m AS int[]), CAST(:near_d AS int[])) "
        "AS d(y, m, d) "
        "JOIN persons p ON p.birth_year = d.y AND p.birth_month = d.m AND p.birth_day = d.d "
        "JOIN person_names n ON n.person_id = p.id "
        "WHERE n.phonetic_keys && CAST(:phonetic AS text[]) "
        "ORDER BY similarity DESC LIMIT :per_block"
    )


def _part(name: str, value: int | None, i: int) -> str:
    """The SQL condition on one date part: equal, unknown (NULL), or anything (0)."""
    if value == 0:
        return ""
    if value is None:
        return f" AND p.birth_{name} IS NULL"
    return f" AND p.birth_{name} = :{name[0]}{i}"
