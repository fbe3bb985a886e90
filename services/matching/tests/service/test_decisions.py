"""Every outcome end to end through the real broker: RequestSubmitted in, the outcome event out."""

import asyncio
import random

from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import func, select
from stdnum.be import bis, nn

from contracts import (
    InfoProvided,
    InfoRequested,
    NumberAssigned,
    RequestCancelled,
    ReviewOpened,
)
from matching.domain import Person, PersonToFile
from matching.domain.bis import check_digits
from matching.repository import save_person
from matching.tables import Decision, ReviewCase


def nr_number(birth_date: str, serial: int) -> str:
    base = birth_date[2:4] + birth_date[5:7] + birth_date[8:10] + f"{serial:03d}"
    return base + check_digits(base, born_2000_or_later=birth_date >= "2000")


async def file(stack, person: Person, ssin: str) -> None:
    async with stack.sessions.begin() as tx:
        await save_person(tx, PersonToFile(ssin=ssin, identity=person, origin="test"))


async def decisions_of(stack, request_id) -> list[Decision]:
    async with stack.sessions() as tx:
        return list(await tx.scalars(select(Decision).where(Decision.request_id == request_id)))


def random_date() -> str:
    return f"19{random.randint(50, 99)}-{random.randint(1, 12):02d}-{random.randint(13, 28):02d}"


async def test_a_new_person_gets_a_new_bis_number_and_the_next_request_for_them_matches(
    stack, make
):
    data = make.data(surnames=make.surname(), birth_date=random_date())
    first, second = make.submitted(data), make.submitted(data, employer_id="0999999999")

    await stack.publish(first)
    (new,) = await stack.outcomes(first.request_id)
    await stack.publish(second)
    (again,) = await stack.outcomes(second.request_id)

    assert isinstance(new, NumberAssigned) and new.kind == "new_bis" and bis.is_valid(new.ssin)
    assert int(new.ssin[6:9]) % 2 == 0 and int(new.ssin[2:4]) > 40
    assert (again.kind, again.ssin) == ("existing_bis", new.ssin)
    (decision,) = await decisions_of(stack, second.request_id)
    assert decision.explanation["candidates"][0]["ssin"] == new.ssin
    assert {a["field"] for a in decision.explanation["candidates"][0]["agreements"]} >= {
        "surname",
        "given_names",
        "birth_date",
    }


async def test_a_national_register_person_is_found_and_the_registry_completes_the_request(
    stack, make
):
    surname, born = make.surname(), random_date()
    ssin = nr_number(born, 2)
    await file(
        stack,
        Person(
            surnames=surname,
            given_names="Anna",
            sex="female",
            birth_date=born,
            birth_place="Gdańsk",
            birth_country="PL",
            nationality="PL",
        ),
        ssin,
    )
    # Name, date and birth place identify her (nationality alone would not: it follows the
    # surname's population); the registry completes the nationality the request lacks.
    data = make.data(surnames=surname, given_names="Anna", birth_date=born)
    data = data.model_copy(update={"person": data.person.model_copy(update={"nationality": None})})
    event = make.submitted(data)

    await stack.publish(event)
    (assigned,) = await stack.outcomes(event.request_id)

    assert nn.is_valid(ssin) and (assigned.ssin, assigned.kind) == (ssin, "national_register")
    assert assigned.completed == {"nationality": "PL"}


async def test_twins_open_a_review_case(stack, make):
    surname, born = make.surname(), random_date()
    for serial, given in ((2, "Anna Maria"), (4, "Anna Marta")):
        await file(
            stack,
            Person(
                surnames=surname,
                given_names=given,
                sex="female",
                birth_date=born,
                birth_place="Gdańsk",
            ),
            nr_number(born, serial),
        )
    event = make.submitted(make.data(surnames=surname, birth_date=born, given_names="Anna"))

    await stack.publish(event)
    (opened,) = await stack.outcomes(event.request_id)

    assert isinstance(opened, ReviewOpened) and opened.reason == "ambiguous_candidates"
    async with stack.sessions() as tx:
        case = await tx.get(ReviewCase, opened.case_id)
    assert case.status == "open" and len(case.candidates) == 2


async def test_too_little_data_asks_the_employer_for_what_is_missing(stack, make):
    event = make.submitted(make.data(surnames=make.surname(), birth_date=None))

    await stack.publish(event)
    (asked,) = await stack.outcomes(event.request_id)

    assert isinstance(asked, InfoRequested) and any("birth_date" in m for m in asked.missing)


async def test_provided_information_reruns_the_decision_on_the_new_version(stack, make):
    surname, given = make.surname(), make.surname()
    event = make.submitted(make.data(surnames=surname, given_names=given, birth_date=None))
    await stack.publish(event)
    await stack.outcomes(event.request_id)
    corrected = InfoProvided(
        producer="intake",
        request_id=event.request_id,
        request_version=2,
        employer_id=event.employer_id,
        provided_by="hr-1",
        data=make.data(surnames=surname, given_names=given, birth_date=random_date()),
    )

    await stack.publish(corrected)
    outcomes = await stack.outcomes(event.request_id, count=2)

    assert isinstance(outcomes[-1], NumberAssigned) and outcomes[-1].request_version == 2


async def test_a_claimed_number_of_another_person_is_not_trusted(stack, make):
    born = random_date()
    stranger = nr_number(born, 3)
    await file(
        stack,
        Person(surnames=make.surname(), given_names="Piotr", sex="male", birth_date=born),
        stranger,
    )
    event = make.submitted(
        make.data(surnames=make.surname(), birth_date=born, claimed_ssin=stranger)
    )

    await stack.publish(event)
    (outcome,) = await stack.outcomes(event.request_id)

    assert isinstance(outcome, ReviewOpened) and outcome.reason == "claimed_ssin_not_confirmed"


async def test_a_claimed_number_nobody_holds_gets_the_answer_of_a_registered_one(stack, make):
    # A different answer would let any employer test which numbers exist (issue 11 item 10).
    born = random_date()
    registered, free = nr_number(born, 5), nr_number(born, 7)
    await file(stack, Person(surnames=make.surname(), sex="male", birth_date=born), registered)
    events = [
        make.submitted(make.data(surnames=make.surname(), birth_date=born, claimed_ssin=claim))
        for claim in (registered, free)
    ]

    answers = []
    for event in events:
        await stack.publish(event)
        (outcome,) = await stack.outcomes(event.request_id)
        answers.append((type(outcome), outcome.reason, outcome.expected_delay_days))

    assert answers[0] == answers[1] == (ReviewOpened, "claimed_ssin_not_confirmed", answers[0][2])


async def test_a_replayed_request_yields_one_decision(stack, make):
    event = make.submitted(make.data(surnames=make.surname(), birth_date=random_date()))

    await stack.publish(event)
    replay = await stack.producer.send_and_wait(
        event.topic, event.model_dump_json().encode(), key=event.key
    )
    await stack.outcomes(event.request_id)
    # The group committed past the replay: it was consumed (and skipped), not merely not yet read.
    await consumed(stack, replay)

    assert len(await stack.outcomes(event.request_id)) == 1
    assert len(await decisions_of(stack, event.request_id)) == 1


async def consumed(stack, record, *, within: float = 30.0) -> None:
    """Wait until this service's consumer group has committed past `record`."""
    partition = TopicPartition(record.topic, record.partition)
    probe = AIOKafkaConsumer(
        bootstrap_servers=stack.bootstrap, group_id=stack.group, enable_auto_commit=False
    )
    await probe.start()
    try:
        async with asyncio.timeout(within):
            while (await probe.committed(partition) or 0) <= record.offset:  # noqa: ASYNC110 - polled
                await asyncio.sleep(0.1)
    finally:
        await probe.stop()


async def test_two_employers_submitting_the_same_new_person_at_once_get_one_bis_number(stack, make):
    data = make.data(surnames=make.surname(), birth_date=random_date(), document=None)
    events = [make.submitted(data, employer_id=f"08{i:08d}") for i in range(4)]

    await asyncio.gather(*(stack.publish(e) for e in events))
    outcomes = [(await stack.outcomes(e.request_id))[0] for e in events]

    assert len({o.ssin for o in outcomes}) == 1
    assert sorted(o.kind for o in outcomes) == ["existing_bis"] * 3 + ["new_bis"]


async def test_cancelling_a_request_closes_its_open_case(stack, make):
    surname, born = make.surname(), random_date()
    for serial, given in ((2, "Anna Maria"), (4, "Anna Marta")):
        await file(
            stack,
            Person(surnames=surname, given_names=given, sex="female", birth_date=born),
            nr_number(born, serial),
        )
    event = make.submitted(make.data(surnames=surname, given_names="Anna", birth_date=born))
    await stack.publish(event)
    (opened,) = await stack.outcomes(event.request_id)

    await stack.publish(
        RequestCancelled(
            producer="intake",
            request_id=event.request_id,
            employer_id=event.employer_id,
            cancelled_by="hr-1",
        )
    )

    async def closed() -> bool:
        async with stack.sessions() as tx:
            return (
                await tx.get(ReviewCase, opened.case_id, populate_existing=True)
            ).status == "closed"

    async with asyncio.timeout(20):
        while not await closed():  # noqa: ASYNC110 - the state lives in another process's commit
            await asyncio.sleep(0.1)
    async with stack.sessions() as tx:
        count = await tx.scalar(
            select(func.count())
            .select_from(ReviewCase)
            .where(ReviewCase.request_id == event.request_id, ReviewCase.resolution == "cancelled")
        )
    assert count == 1
