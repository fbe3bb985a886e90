"""idpro-matching-estimate against real PostgreSQL: m/u re-estimated from the registry and the
decisions taken, stored under its version, and the next decision names that version."""

from uuid import uuid4

from contracts import RequestSubmitted
from contracts.events import RequestData
from contracts.values import Address, Person
from eventing.outbox import Outbox
from matching.domain import Thresholds, person_from
from matching.repository import load_entries
from matching.repository.models import load_active_model
from matching.service import Matching
from matching.tables import outbox_messages
from matching.tools.estimate import reestimate

GIVEN = ("Anna", "Ewa", "Zofia", "Maria", "Julia", "Lena")


def request(i: int, *, typo: bool = False) -> RequestData:
    given = GIVEN[i % len(GIVEN)]
    return RequestData(
        person=Person(
            surnames=f"Nowakowsk{'ai'[i % 2]}{i:03d}" + ("x" if typo else ""),
            given_names=given,
            sex="female",
            birth_date=f"19{60 + i % 30}-0{1 + i % 9}-1{i % 10}",
            birth_place="Gdańsk",
            birth_country="PL",
            nationality="PL",
        ),
        residence=Address(street="ul. Długa", number=str(i), city="Gdańsk", country="PL"),
    )


def submitted(data: RequestData) -> RequestSubmitted:
    return RequestSubmitted(
        producer="intake",
        request_id=uuid4(),
        employer_id="0123456789",
        requester_id="hr-1",
        notification_email="hr@employer.example",
        language="en",
        data=data,
    )


async def decide(sessions, matching: Matching, data: RequestData) -> None:
    async with sessions.begin() as tx:
        event = submitted(data)
        await matching.decide_request(tx, event, event.data)


async def test_the_estimate_is_stored_with_its_version_and_weighs_the_next_decision(
    sessions, database_url
):
    outbox = Outbox(outbox_messages, service="matching-test")
    first = Matching(Thresholds(), outbox=outbox)
    for i in range(40):  # new persons, then each asked about again (some with a typo)
        await decide(sessions, first, request(i))
    for i in range(40):
        await decide(sessions, first, request(i, typo=i % 3 == 0))

    found = await reestimate(database_url, decisions=1_000, random_pairs=500, store=True)

    async with sessions() as tx:
        active = await load_active_model(tx)
    assert active is not None and active.version == found.model.version
    assert found.model.version.startswith("em-")
    assert found.model.source["one_match_per_request"] is True and found.pairs > 0
    later = Matching(Thresholds(), outbox=outbox)
    async with sessions.begin() as tx:
        verdict = await later.judge(tx, person_from(request(1)))
        assert await load_entries(tx, [int(verdict.scored[0].candidate_id)])
    assert verdict.model_version == found.model.version
