"""Candidate search: a bounded set of registry persons from a union of blocking keys.

Blocks, cheapest and most telling first (the order also ranks candidates when the set is full):
0. the same document (number + issuing country);
1. the same birth date (also day/month swapped, and a registry date known to the month) with a
   name token that sounds alike (phonetic keys of surnames and given names: a married surname
   still meets its given name) or a name that looks alike (trigram similarity);
2. the same home with a name token: postal code or street, house number, and a token of either
   name field (`person_addresses.match_keys`): a changed surname and a slipped date still meet;
3. a date one keystroke away (a digit of the month or day, the year ±1: ~20 dates) with a name
   token that sounds alike (`person_names.date_keys`, SOUND|YYYYMMDD: one probe per sound and
   date); and the same loose surname key (either name field, for swapped names) with birth
   year ±1;
4. the same SURNAME+GIVEN token pair (either order): in the closest birth years first
   (`pair_year_keys`, PAIR|YEAR, ±PAIR_YEARS and unknown), then in any year, bounded per pair
   (`pair_keys`): a mistyped or partial year;
5. a surname key one typo away (a letter replaced, dropped, added, or two swapped) with birth
   year ±1, only when the others found fewer than FALLBACK_BELOW persons (checked inside the
   same query): an exact GIN probe of `typo_year_keys` (migration 0003);
6. a trigram-similar full name, any year: only for a request without a birth year (which lacks
   the minimum data anyway), the one block without a selective index.

Blocks 0-5 run as one query (one round trip); every block is bounded by its own LIMIT, and
every array block is one GIN element probe per key, bounded per key (`_probe`): with `&&` and a
LIMIT the planner guesses that a few percent of the table match and reads it sequentially for
the first rows (the home block took 1.4 s at a million persons). The
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
    date_keys,
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
# The pair block probes the same full name this many birth years either side, closest first.
PAIR_YEARS = 2


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
    near_date_keys: tuple[str, ...] = ()
    pair_year_keys: tuple[str, ...] = ()


def query_for(person: Person) -> Query:
    """The blocking keys of a request."""
    keys = name_keys(person.surnames, person.given_names)
    parts = birth_parts(person.birth_date)
    year = parts.year if parts else None
    number = normalise_number(person.document_number)
    document = (number, person.document_country or "") if number else None
    phonetic = sorted(keys.phonetic | keys.given_phonetic)
    near = _near_dates(parts)
    pairs = pair_keys(keys, both_orders=True)
    return Query(
        document=document,
        date_clauses=_date_clauses(parts),
        full_name=keys.full_name,
        phonetic=phonetic,
        name_year_keys=year_keys(keys.surname_keys | keys.given_keys, year, spread=1)
        if year
        else [],
        year=year,
        pair_keys=pairs,
        address_keys=address_keys(person.addresses, name_tokens(keys)),
        near_dates=near,
        near_date_keys=tuple(date_keys(phonetic, near)),
        pair_year_keys=tuple(_pair_year_keys(pairs, year)),
    )


def _pair_year_keys(pairs: list[str], year: int | None) -> list[str]:
    """PAIR|YEAR for the closest birth years, and PAIR| (a registry name without a year)."""
    if year is None:
        return []
    years = ["", *(str(y) for y in range(year - PAIR_YEARS, year + PAIR_YEARS + 1))]
    return [f"{pair}|{y}" for pair in pairs for y in years]


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


def plan(q: Query) -> tuple[dict[str, str], dict]:
    """Every block this query can use, by name, each runnable alone (benchmarks, EXPLAIN)."""
    blocks, params = _blocks(q)
    names = [name for name, _ in _NAMED if name in _present(q)]
    named = dict(zip(names, blocks, strict=True))
    typo = _typo_block(q, params)
    if typo:
        named["typo"] = typo.format(gate="true")
    return named, {**params, "fallback_below": FALLBACK_BELOW, "per_key": _PER_KEY, "limit": 50}


_NAMED = (
    ("document", lambda q: bool(q.document)),
    ("same_date", lambda q: bool(q.date_clauses and q.full_name)),
    ("near_date", lambda q: bool(q.near_date_keys)),
    ("home", lambda q: bool(q.address_keys)),
    ("name_year", lambda q: bool(q.name_year_keys)),
    ("pair", lambda q: bool(q.pair_keys)),
)


def _present(q: Query) -> set[str]:
    return {name for name, test in _NAMED if test(q)}


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
    if q.near_date_keys:
        blocks.append(_near_date_block(q, params))
    if q.address_keys:
        params["address_keys"] = q.address_keys
        blocks.append(
            "SELECT a.person_id, 2 AS block, max(similarity(n.full_name, :full_name)) AS similarity "  # noqa: S608 - fixed fragments
            f"FROM {_probe('match_keys', ':address_keys', 'person_id', 'person_addresses', 'a')} "
            "JOIN person_names n ON n.person_id = a.person_id GROUP BY a.person_id "
            "LIMIT :per_block"
        )
    if q.name_year_keys:
        params["name_year_keys"] = q.name_year_keys
        blocks.append(
            "SELECT t.person_id, 3 AS block, similarity(t.full_name, :full_name) AS similarity "  # noqa: S608 - fixed fragments
            f"FROM {_probe('name_year_keys', ':name_year_keys', 'person_id, full_name')} "
            "LIMIT :per_block"
        )
    if q.pair_keys:
        blocks.append(_pair_block(q, params))
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
    params["near_date_keys"] = list(q.near_date_keys)
    # One exact probe per (sound, date) of date_keys (migration 0005): visiting every person
    # born on the ~20 dates to compare their sounds read 1,500+ rows (~50 ms) at a million.
    return (
        "SELECT t.person_id, 3 AS block, max(similarity(t.full_name, :full_name)) AS similarity "  # noqa: S608 - fixed fragments
        f"FROM {_probe('date_keys', ':near_date_keys', 'person_id, full_name')} "
        "GROUP BY t.person_id ORDER BY similarity DESC LIMIT :per_block"
    )


def _pair_block(q: Query, params: dict) -> str:
    """Block 4: the same SURNAME+GIVEN pair, the closest birth years first, then any year.

    The closest years are exact probes of pair_year_keys (migration 0005); the any-year probe is
    bounded per pair (a common pair's 9,600 namesakes are no longer all read to sort by year).
    """
    params |= {"pair_keys": q.pair_keys, "pair_year": q.year}
    columns = "person_id, full_name, birth_year"
    parts = [f"SELECT t.* FROM {_probe('pair_keys', ':pair_keys', columns)}"]  # noqa: S608 - fixed fragments
    if q.pair_year_keys:
        params["pair_year_keys"] = list(q.pair_year_keys)
        parts.insert(0, f"SELECT t.* FROM {_probe('pair_year_keys', ':pair_year_keys', columns)}")  # noqa: S608 - fixed fragments
    return (
        "SELECT person_id, 4 AS block, max(similarity(full_name, :full_name)) AS similarity "  # noqa: S608 - fixed fragments
        f"FROM ({' UNION ALL '.join(parts)}) AS pair GROUP BY person_id "
        "ORDER BY min(abs(coalesce(birth_year, 0) - coalesce(CAST(:pair_year AS int), 0))), "
        "similarity DESC LIMIT :per_block"
    )


def _probe(column: str, keys: str, columns: str, table: str = "person_names", alias="t") -> str:
    """One bounded GIN probe per key (`column @> ARRAY[key]`), as a FROM item named `alias`.

    `column && :keys` with a LIMIT lets the planner guess a few percent of the table matches
    and scan it sequentially for the first rows (the home block read all 30,000 pages: 1.4 s);
    an element probe per key is always the index, and a common key costs at most :per_key rows.
    """
    return (
        f"unnest(CAST({keys} AS text[])) AS k(key) CROSS JOIN LATERAL "  # noqa: S608
        f"(SELECT {columns} FROM {table} WHERE {column} @> ARRAY[k.key] LIMIT :per_key) AS {alias}"
    )


def _part(name: str, value: int | None, i: int) -> str:
    """The SQL condition on one date part: equal, unknown (NULL), or anything (0)."""
    if value == 0:
        return ""
    if value is None:
        return f" AND p.birth_{name} IS NULL"
    return f" AND p.birth_{name} = :{name[0]}{i}"
