"""Search before create under concurrency, against real PostgreSQL: one new person, one number.

The system tests submit many people at once; two employers may submit the same new worker in
the same second. `repository.lock_creation` serialises search-then-create per birth date, so the
second search sees the person the first one filed.
"""

import asyncio
from uuid import uuid4

from sqlalchemy import func, select

from contracts import RequestSubmitted
from contracts.events import RequestData
from contracts.values import Address, Person
from eventing.outbox import Outbox
from matching.domain import Thresholds
from matching.service import Matching
from matching.tables import Decision, RegistryPerson, outbox_messages

ANNA = RequestData(
    person=Person(
        surnames="Wiśniewska",
        given_names="Anna Maria",
        sex="female",
        birth_date="1991-06-17",
        birth_place="Gdańsk",
        birth_country="PL",
        nationality="PL",
    ),
    residence=Address(
        street="ul. Długa", number="12", postal_code="80-831", city="Gdańsk", country="PL"
    ),
)


def submitted(data: RequestData, employer: int) -> RequestSubmitted:
    return RequestSubmitted(
        producer="intake",
        request_id=uuid4(),
        employer_id=f"{employer:010d}",
        requester_id="hr-1",
        notification_email="hr@employer.example",
        language="en",
        data=data,
    )


async def test_identical_new_persons_submitted_at_once_get_one_bis_number(sessions):
    matching = Matching(Thresholds(), outbox=Outbox(outbox_messages, service="matching-test"))
    events = [submitted(ANNA, employer) for employer in range(6)]

    async def decide(event: RequestSubmitted) -> None:
        async with sessions.begin() as tx:
            await matching.decide_request(tx, event, event.data)

    # Each transaction on its own connection, interleaved at every round trip.
    await asyncio.gather(*(decide(e) for e in events))

    async with sessions() as tx:
        outcomes = (await tx.execute(select(Decision.outcome, Decision.ssin))).all()
        persons = await tx.scalar(select(func.count()).select_from(RegistryPerson))
    assert sorted(o for o, _ in outcomes) == ["existing_bis"] * 5 + ["new_bis"]
    assert len({ssin for _, ssin in outcomes}) == 1
    assert persons == 1
