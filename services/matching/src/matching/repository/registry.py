"""The person registry: rows to file a person under, saving one, loading candidates back."""

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, TextClause, func, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from stdnum.be import ssn

from matching.domain import Entry, Person, PersonToFile
from matching.domain.address import Address
from matching.domain.keys import (
    address_keys,
    birth_parts,
    date_keys,
    name_keys,
    name_tokens,
    pair_keys,
    year_keys,
)
from matching.domain.scoring import place_token
from matching.tables import (
    PersonAddress,
    PersonDocument,
    PersonName,
    RegistryPerson,
    TermFrequency,
)

_DIALECT = postgresql.dialect()


def number_type(ssin_value: str) -> str:
    """national_register or bis, as stdnum reads the number."""
    return "bis" if ssn.guess_type(ssin_value) == "bis" else "national_register"


def person_row(person: PersonToFile, *, person_id: int | None = None) -> dict[str, Any]:
    """The persons row of `person` (its id when the caller numbers rows itself, as COPY does)."""
    p, parts = person.identity, birth_parts(person.identity.birth_date)
    row = {
        "ssin": person.ssin,
        "number_type": number_type(person.ssin),
        "surnames": p.surnames,
        "given_names": p.given_names,
        "sex": p.sex or "unknown",
        "birth_date": p.birth_date,
        "birth_year": parts.year if parts else None,
        "birth_month": parts.month if parts else None,
        "birth_day": parts.day if parts else None,
        "birth_place": p.birth_place,
        "birth_country": p.birth_country,
        "nationality": p.nationality,
        "origin": person.origin,
        "request_id": person.request_id,
    }
    return row if person_id is None else {"id": person_id, **row}


def name_rows(person: PersonToFile, person_id: int) -> list[dict[str, Any]]:
    """One person_names row per name, with its search keys."""
    year = (parts := birth_parts(person.identity.birth_date)) and parts.year
    names = [
        ("primary", person.identity.surnames, person.identity.given_names),
        *person.other_names,
    ]
    full = [(parts.year, parts.month, parts.day)] if parts and parts.month and parts.day else []
    rows = []
    for kind, surnames, given in names:
        keys = name_keys(surnames, given)
        values = name_key_values(surnames, given)
        rows.append(
            {
                "person_id": person_id,
                "kind": kind,
                "surnames": surnames,
                "given_names": given or "",
                "full_name": keys.full_name,
                "name_year_keys": year_keys(keys.surname_keys, year),
                "birth_year": year,
                **values,
                "date_keys": date_keys(values["phonetic_keys"], full),
            }
        )
    return rows


def name_key_values(surnames: str | None, given: str | None) -> dict[str, list[str]]:
    """The year-free keys of one name: the sounds of every token, and SURNAME+GIVEN pairs."""
    keys = name_keys(surnames, given)
    return {
        "phonetic_keys": sorted(keys.phonetic | keys.given_phonetic),
        "pair_keys": pair_keys(keys),
    }


def address_rows(person: PersonToFile, person_id: int) -> list[dict[str, Any]]:
    """One person_addresses row per address, keyed with every token of the person's names."""
    names = [(person.identity.surnames, person.identity.given_names)]
    names += [(s, g) for _, s, g in person.other_names]
    tokens = [t for s, g in names for t in name_tokens(name_keys(s, g))]
    rows = []
    for a in person.addresses:
        place = Address(a.get("street"), a.get("number"), a.get("postal_code"), a.get("city"))
        rows.append({"person_id": person_id, **a, "match_keys": address_keys([place], tokens)})
    return rows


def address_key_rows(addresses, names) -> list[dict[str, Any]]:
    """match_keys of filed address rows from the person's filed name rows (migration 0004)."""
    tokens: dict[int, list[str]] = {}
    for n in names:
        tokens.setdefault(n.person_id, []).extend(name_tokens(name_keys(n.surnames, n.given_names)))
    return [
        {
            "id": a.id,
            "match_keys": address_keys(
                [Address(a.street, a.number, a.postal_code, a.city)], tokens.get(a.person_id, [])
            ),
        }
        for a in addresses
    ]


def term_counts(people: Iterable[tuple[str | None, str | None, str | None]]) -> Counter:
    """(field, token) → persons, for (surnames, given names, birth place) of each person."""
    counts: Counter = Counter()
    for surnames, given, place in people:
        keys = name_keys(surnames, given)
        counts.update(("surname", t) for t in set(keys.surname_tokens))
        counts.update(("given", t) for t in set(keys.given_tokens))
        if token := place_token(place):
            counts[("place", token)] += 1
    return counts


def document_rows(
    person: PersonToFile, person_id: int | ColumnElement[int]
) -> list[dict[str, Any]]:
    return [
        {
            "person_id": person_id,
            "type": d.type,
            "number": normalise_number(d.number),
            "country": d.country,
            "expiry_date": d.expiry_date,
        }
        for d in person.documents
    ]


def normalise_number(number: str | None) -> str:
    """A document number as filed and looked up: upper-case letters and digits only."""
    return "".join(c for c in (number or "").upper() if c.isalnum())


async def save_person(tx: AsyncSession, person: PersonToFile) -> int:
    """File a new person and count its surname tokens, in one statement; its id.

    The person's row is a data-modifying CTE whose id the rows of its names, documents and
    addresses take (each list passed as one JSON array), and the term counts are another: five
    round trips before. A text statement, compiled once per shape: SQLAlchemy caches neither a
    multi-row insert of SQL expressions nor an upsert, and compiling them cost more CPU than
    the four round trips saved."""
    p = person.identity
    counts = term_counts([(p.surnames, p.given_names, p.birth_place)])
    children = {
        table.__table__: [{k: v for k, v in row.items() if k != "person_id"} for row in rows]
        for table, rows in (
            (PersonName, name_rows(person, 0)),
            (PersonDocument, document_rows(person, 0)),
            (PersonAddress, address_rows(person, 0)),
        )
        if rows
    }
    row = person_row(person)
    shape = (tuple(row), tuple((t.name, tuple(rows[0])) for t, rows in children.items()))
    params = {f"p_{k}": v for k, v in row.items()}
    params |= {t.name: json.dumps(rows, default=str) for t, rows in children.items()}
    if counts:
        params["terms"] = json.dumps(
            [{"field": f, "token": t, "persons": n} for (f, t), n in counts.items()]
        )
    return await tx.scalar(_filing(shape, terms=bool(counts)), params)


@lru_cache(maxsize=64)
def _filing(shape: tuple, *, terms: bool) -> TextClause:
    # Identifiers only from the tables' metadata and our own row keys; every value is bound.
    columns, children = shape
    quote = _DIALECT.identifier_preparer.quote
    persons = RegistryPerson.__table__
    ctes = [
        f"filed AS (INSERT INTO {persons.name} ({', '.join(map(quote, columns))}) "  # noqa: S608
        f"VALUES ({', '.join(f':p_{c}' for c in columns)}) RETURNING id)"
    ]
    for name, keys in children:
        table = persons.metadata.tables[name]
        names = ", ".join(map(quote, keys))
        types = ", ".join(f"{quote(k)} {table.c[k].type.compile(dialect=_DIALECT)}" for k in keys)
        ctes.append(
            f"filed_{name} AS (INSERT INTO {name} (person_id, {names}) SELECT filed.id, {names} "  # noqa: S608
            f"FROM filed, jsonb_to_recordset(CAST(:{name} AS jsonb)) AS r({types}))"
        )
    if terms:  # rows in key order: the counters' locks are taken in that order
        ctes.append(
            "counted AS (INSERT INTO term_frequencies (field, token, persons) "
            "SELECT field, token, persons FROM jsonb_to_recordset(CAST(:terms AS jsonb)) "
            "AS r(field varchar(10), token text, persons integer) ORDER BY field, token "
            "ON CONFLICT (field, token) "
            "DO UPDATE SET persons = term_frequencies.persons + excluded.persons)"
        )
    return text(f"WITH {', '.join(ctes)} SELECT id FROM filed")  # noqa: S608


async def count_terms(tx: AsyncSession, counts: Counter) -> None:
    """Add the persons counted per (field, token) to term_frequencies."""
    if counts:
        await tx.execute(_counting(counts))


def _counting(counts: Counter):
    """The upsert of term_frequencies, its rows in key order (locks are taken in that order)."""
    stmt = pg_insert(TermFrequency).values(
        [{"field": f, "token": t, "persons": n} for (f, t), n in sorted(counts.items())]
    )
    added = TermFrequency.persons + stmt.excluded.persons
    return stmt.on_conflict_do_update(index_elements=["field", "token"], set_={"persons": added})


# One round trip, no ORM objects: the hot path loads up to 50 candidates per request. Names and
# documents come back as parallel arrays, in filing order.
_LOAD_ENTRIES = text(
    """
SELECT p.id, p.ssin, p.number_type, p.surnames, p.given_names, p.sex, p.birth_date,
       p.birth_place, p.birth_country, p.nationality,
       n.surnames AS name_surnames, n.given_names AS name_given,
       d.types AS doc_types, d.numbers AS doc_numbers, d.countries AS doc_countries,
       a.streets, a.numbers AS house_numbers, a.postal_codes, a.cities, a.countries AS a_countries
FROM persons p
LEFT JOIN LATERAL (
    SELECT array_agg(surnames ORDER BY id) AS surnames, array_agg(given_names ORDER BY id)
           AS given_names
    FROM person_names WHERE person_id = p.id) AS n ON true
LEFT JOIN LATERAL (
    SELECT array_agg(type ORDER BY id) AS types, array_agg(number ORDER BY id) AS numbers,
           array_agg(country ORDER BY id) AS countries
    FROM person_documents WHERE person_id = p.id) AS d ON true
LEFT JOIN LATERAL (
    SELECT array_agg(street ORDER BY id) AS streets, array_agg(number ORDER BY id) AS numbers,
           array_agg(postal_code ORDER BY id) AS postal_codes, array_agg(city ORDER BY id) AS cities,
           array_agg(country ORDER BY id) AS countries
    FROM person_addresses WHERE person_id = p.id) AS a ON true
WHERE p.id = ANY(CAST(:ids AS bigint[]))
"""
)


async def load_entries(tx: AsyncSession, person_ids: Sequence[int]) -> list[Entry]:
    """The registry persons with these ids, each with all its names, documents and addresses."""
    if not person_ids:
        return []
    rows = await tx.execute(_LOAD_ENTRIES, {"ids": [int(i) for i in person_ids]})
    return [_entry(row) for row in rows]


async def load_entry_by_ssin(tx: AsyncSession, ssin_value: str) -> Entry | None:
    person_id = await tx.scalar(select(RegistryPerson.id).where(RegistryPerson.ssin == ssin_value))
    return None if person_id is None else (await load_entries(tx, [person_id]))[0]


async def count_persons(tx: AsyncSession) -> int:
    return await tx.scalar(select(func.count()).select_from(RegistryPerson)) or 0


def _entry(row) -> Entry:
    """A registry row as domain Persons: every name crossed with every document."""
    addresses = tuple(
        Address(*parts)
        for parts in zip(
            row.streets or (),
            row.house_numbers or (),
            row.postal_codes or (),
            row.cities or (),
            row.a_countries or (),
            strict=True,
        )
    )
    identity = Person(
        surnames=row.surnames,
        given_names=row.given_names,
        sex=row.sex,
        birth_date=row.birth_date,
        birth_place=row.birth_place,
        birth_country=row.birth_country,
        nationality=row.nationality,
        addresses=addresses,
    )
    names = zip(row.name_surnames or (), row.name_given or (), strict=True)
    named = [replace(identity, surnames=s, given_names=g) for s, g in names] or [identity]
    documents = list(
        zip(row.doc_types or (), row.doc_numbers or (), row.doc_countries or (), strict=True)
    )
    with_documents = [
        replace(p, document_type=t, document_number=n, document_country=c)
        for p in named
        for t, n, c in documents
    ]
    return Entry(row.id, row.ssin, row.number_type, identity, tuple(with_documents or named))
