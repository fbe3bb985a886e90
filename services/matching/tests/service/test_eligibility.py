"""Eligibility through the real broker: Belgians in the National Register only, minors to review."""

import random

from sqlalchemy import func, select
from stdnum.be import nn

from contracts import NumberAssigned, RequestData, RequestRejected, ReviewOpened
from contracts.values import Address, Person
from matching.domain import Person as RegistryPerson
from matching.domain import PersonToFile
from matching.domain.bis import check_digits
from matching.repository import save_person
from matching.tables import ReviewCase, bis_numbers


def born() -> str:
    return f"19{random.randint(50, 99)}-{random.randint(1, 12):02d}-{random.randint(13, 28):02d}"


def nr_number(birth_date: str, serial: int) -> str:
    base = birth_date[2:4] + birth_date[5:7] + birth_date[8:10] + f"{serial:03d}"
    return base + check_digits(base, born_2000_or_later=birth_date >= "2000")


def belgian(surname: str, birth_date: str, *, nationality="BE", residence="BE") -> RequestData:
    return RequestData(
        person=Person(
            surnames=surname,
            given_names="Lies",
            sex="female",
            birth_date=birth_date,
            birth_place="Gent",
            birth_country="BE",
            nationality=nationality,
        ),
        residence=Address(city="Gent", postal_code="9000", country=residence),
    )


async def bis_numbers_for(stack, request_id) -> int:
    async with stack.sessions() as tx:
        query = select(func.count()).where(bis_numbers.c.request_id == request_id)
        return await tx.scalar(query)


async def test_a_belgian_resident_not_in_the_national_register_goes_to_review_without_a_bis(
    stack, make
):
    event = make.submitted(belgian(make.surname(), born(), nationality="PL"))

    await stack.publish(event)
    (outcome,) = await stack.outcomes(event.request_id)

    assert isinstance(outcome, ReviewOpened)
    assert outcome.reason == "national_register_not_found"
    assert await bis_numbers_for(stack, event.request_id) == 0


async def test_a_belgian_is_matched_in_the_national_register_but_never_to_a_bis_person(stack, make):
    surname, birth = make.surname(), born()
    identity = RegistryPerson(
        surnames=surname,
        given_names="Lies",
        sex="female",
        birth_date=birth,
        birth_place="Gent",
        birth_country="BE",
        nationality="BE",
    )
    ssin = nr_number(birth, 2)
    async with stack.sessions.begin() as tx:
        await save_person(tx, PersonToFile(ssin=ssin, identity=identity, origin="test"))
    found = make.submitted(belgian(surname, birth))

    await stack.publish(found)
    (outcome,) = await stack.outcomes(found.request_id)

    assert isinstance(outcome, NumberAssigned) and nn.is_valid(outcome.ssin)
    assert (outcome.kind, outcome.ssin) == ("national_register", ssin)


async def test_a_belgian_national_whose_only_match_holds_a_bis_number_goes_to_review(stack, make):
    surname, birth = make.surname(), born()
    abroad = make.submitted(make.data(surnames=surname, given_names="Lies", birth_date=birth))
    await stack.publish(abroad)
    (first,) = await stack.outcomes(abroad.request_id)
    assert first.kind == "new_bis"
    again = RequestData.model_validate(
        {
            **abroad.data.model_dump(mode="json"),
            "person": {**abroad.data.person.model_dump(mode="json"), "nationality": "BE"},
        }
    )
    back = make.submitted(again)

    await stack.publish(back)
    (outcome,) = await stack.outcomes(back.request_id)

    assert isinstance(outcome, ReviewOpened) and outcome.reason == "national_register_not_found"


async def test_a_worker_possibly_under_the_legal_working_age_goes_to_review_with_that_reason(
    stack, make
):
    event = make.submitted(make.data(surnames=make.surname(), birth_date="2013-05"))

    await stack.publish(event)
    (outcome,) = await stack.outcomes(event.request_id)

    assert isinstance(outcome, ReviewOpened) and outcome.reason == "under_working_age"
    async with stack.sessions() as tx:
        case = await tx.get(ReviewCase, outcome.case_id)
    assert case is not None and case.reason == "under_working_age"


async def test_a_job_student_that_reaches_matching_is_refused_with_the_reason(stack, make):
    data = make.data(surnames=make.surname(), birth_date=born()).model_copy(
        update={"employment": "job_student"}
    )
    event = make.submitted(data)

    await stack.publish(event)
    (outcome,) = await stack.outcomes(event.request_id)

    assert isinstance(outcome, RequestRejected) and outcome.reason_code == "job_student"
