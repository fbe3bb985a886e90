"""Candidate search against a real, migrated registry: each blocking key finds its person."""

from dataclasses import replace

import pytest
from sqlalchemy import event, select

from matching.domain import Document, NeedsReview, Person, PersonToFile, SamePerson, Thresholds
from matching.domain.scoring import Frequencies
from matching.repository import count_persons, load_entries, save_person
from matching.repository.frequencies import TermFrequencies
from matching.repository.search import MAX_CANDIDATES, find_candidate_ids
from matching.service import Matching
from matching.tables import PersonAddress, PersonDocument, PersonName, TermFrequency

ANNA = Person(
    surnames="Kowalska",
    given_names="Anna Maria",
    sex="female",
    birth_date="1990-04-02",
    birth_place="Kraków",
    birth_country="PL",
    nationality="PL",
)
PASSPORT = Document("passport", "EA 123 4567", "PL")


async def file(sessions, person: Person, ssin: str, **extra) -> int:
    async with sessions.begin() as tx:
        return await save_person(
            tx, PersonToFile(ssin=ssin, identity=person, origin="test", **extra)
        )


async def search(sessions, person: Person) -> list[int]:
    async with sessions.begin() as tx:
        return await find_candidate_ids(tx, person)


async def test_the_same_document_finds_the_person_whatever_the_name(sessions):
    anna = await file(sessions, ANNA, "90440200222", documents=(PASSPORT,))

    found = await search(
        sessions,
        Person(
            surnames="Nowak",
            document_type="passport",
            document_number="EA1234567",
            document_country="PL",
        ),
    )

    assert found == [anna]


@pytest.mark.parametrize(
    "request_person",
    [
        replace(ANNA, birth_date="1990-02-04"),  # day and month swapped
        replace(ANNA, birth_date="1990-04"),  # partial date
        replace(ANNA, birth_date="1990"),  # year only
        replace(ANNA, surnames="Kovalska"),  # transliteration
        replace(ANNA, surnames="Anna", given_names="Kowalska"),  # swapped names
        replace(ANNA, birth_date="1991-04-02"),  # year one off, same name
        replace(ANNA, surnames="Kowalskaa", given_names="Ana Maria", birth_date="1990-05-02"),
    ],
    ids=["day-month-swap", "partial", "year-only", "translit", "swapped", "year-off", "typos"],
)
async def test_a_corrupted_request_still_finds_the_person(sessions, request_person):
    anna = await file(sessions, ANNA, "90440200222")
    await file(
        sessions, replace(ANNA, surnames="Nowak", given_names="Jan", sex="male"), "90440200123"
    )

    assert anna in await search(sessions, request_person)


async def test_a_former_name_finds_the_person(sessions):
    anna = await file(
        sessions, ANNA, "90440200222", other_names=(("former", "Nowak", "Anna Maria"),)
    )

    assert anna in await search(sessions, replace(ANNA, surnames="Nowak"))


async def test_the_candidate_set_is_bounded_for_a_very_common_name(sessions):
    async with sessions.begin() as tx:
        for serial in range(1, 160):
            person = replace(ANNA, given_names=f"Anna{serial:03d}")
            await save_person(
                tx, PersonToFile(ssin=f"9044020{serial:04d}", identity=person, origin="test")
            )

    assert len(await search(sessions, ANNA)) == MAX_CANDIDATES


async def test_a_stranger_finds_nobody(sessions):
    await file(sessions, ANNA, "90440200222")

    assert (
        await search(
            sessions, Person(surnames="Yilmaz", given_names="Mehmet", birth_date="1975-11-30")
        )
        == []
    )


async def test_filing_a_person_counts_the_surname_for_term_frequencies(sessions):
    await file(sessions, ANNA, "90440200222")
    await file(sessions, replace(ANNA, given_names="Ewa"), "90440200321")

    async with sessions.begin() as tx:
        terms = [("surname", "KOWALSKA"), ("surname", "NOWAK"), ("given", "EWA")]
        frequency = await TermFrequencies().for_terms(tx, terms)
        total = await count_persons(tx)

    expected = Frequencies({("surname", "KOWALSKA"): 2, ("given", "EWA"): 1}, total)
    assert frequency.share("surname", "KOWALSKA") == expected.share("surname", "KOWALSKA")
    assert frequency.share("surname", "KOWALSKA") > frequency.share("surname", "NOWAK")
    assert frequency.share("given", "EWA") == expected.share("given", "EWA")


async def test_the_engine_matches_a_known_person_and_sends_twins_to_review(sessions):
    anna = await file(sessions, ANNA, "90440200222")
    engine = Matching(Thresholds())
    async with sessions.begin() as tx:
        alone = await engine.judge(tx, ANNA)
    await file(sessions, replace(ANNA, given_names="Anna Marta"), "90440200321")
    async with sessions.begin() as tx:
        twins = await engine.judge(tx, replace(ANNA, given_names="Anna"))
        entries = await load_entries(tx, [anna])

    assert alone.decision.candidate_id == str(anna) and isinstance(alone.decision, SamePerson)
    assert isinstance(twins.decision, NeedsReview) and entries[0].ssin == "90440200222"


async def test_a_mistyped_date_finds_the_person_among_many_namesakes_of_that_year(sessions):
    # A common surname fills the surname+year block with namesakes; a digit of the day typed
    # wrong misses the same-date block, and the home moved: the near-date block finds her.
    async with sessions.begin() as tx:
        for serial in range(1, 120):
            namesake = replace(ANNA, given_names=f"Ewa{serial:03d}", birth_date="1990-01-15")
            await save_person(
                tx, PersonToFile(ssin=f"9041150{serial:04d}", identity=namesake, origin="test")
            )
    anna = await file(sessions, ANNA, "90440200222")

    assert anna in await search(sessions, replace(ANNA, birth_date="1990-04-07"))
    assert anna in await search(sessions, replace(ANNA, birth_date="1990-09-02"))


async def test_filing_a_person_is_one_statement_with_its_names_documents_addresses_and_terms(
    sessions,
):
    home = {"kind": "residence", "street": "Rue Haute", "number": "12", "box": None,
            "postal_code": "1000", "city": "Bruxelles", "country": "BE"}  # fmt: skip
    person = replace(ANNA, surnames="Wiśniewska-Zając", given_names="Zofia")
    to_file = PersonToFile(
        ssin="90440200333",
        identity=person,
        origin="test",
        other_names=(("former", "Zielińska", "Zofia"),),
        documents=(PASSPORT,),
        addresses=(home,),
    )
    statements = []
    engine = sessions.kw["bind"].sync_engine
    listen = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, …)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        person_id = await file_person(sessions, to_file)
    finally:
        event.remove(engine, "before_cursor_execute", listen)

    assert len(statements) == 1
    async with sessions.begin() as tx:
        names = (await tx.execute(
            select(PersonName.kind, PersonName.surnames).where(PersonName.person_id == person_id)
            .order_by(PersonName.id)
        )).all()  # fmt: skip
        documents = await tx.scalars(
            select(PersonDocument.number).where(PersonDocument.person_id == person_id)
        )
        cities = await tx.scalars(
            select(PersonAddress.city).where(PersonAddress.person_id == person_id)
        )
        counted = await tx.scalar(
            select(TermFrequency.persons).where(
                TermFrequency.field == "given", TermFrequency.token == "ZOFIA"
            )
        )
    assert [tuple(n) for n in names] == [
        ("primary", "Wiśniewska-Zając"),
        ("former", "Zielińska"),
    ]
    assert list(documents) == ["EA1234567"] and list(cities) == ["Bruxelles"]
    assert counted == 1
    # The search finds the filed person by its former name too.
    assert await search(sessions, replace(person, surnames="Zielińska")) == [person_id]
    # A second Zofia, without documents or addresses: her given name is counted twice.
    await file(sessions, replace(ANNA, surnames="Nowak", given_names="Zofia"), "90440200444")
    async with sessions.begin() as tx:
        counted = await tx.scalar(
            select(TermFrequency.persons).where(
                TermFrequency.field == "given", TermFrequency.token == "ZOFIA"
            )
        )
    assert counted == 2


async def file_person(sessions, person: PersonToFile) -> int:
    async with sessions.begin() as tx:
        return await save_person(tx, person)
