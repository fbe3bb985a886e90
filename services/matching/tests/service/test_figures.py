"""The back office's figures through the real broker: what was answered at once, the queue, the
agents' decisions per day, why requests went to research, and how information requests ended."""

import random

import httpx
import pytest

from contracts import InfoProvided, InfoRequested, NumberAssigned, RequestExpired, ReviewOpened
from devstack.waiting import eventually


@pytest.fixture
async def client(stack):
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=stack.app), base_url="http://matching"
    ) as http:
        yield http


def born() -> str:
    return f"19{random.randint(50, 99)}-{random.randint(1, 12):02d}-{random.randint(13, 28):02d}"


async def decided(stack, make, **person):
    event = make.submitted(make.data(surnames=make.surname(), **person))
    await stack.publish(event)
    (outcome,) = await stack.outcomes(event.request_id)
    return event, outcome


def follow_up(event, event_type, version: int, **fields):
    return event_type(
        producer="intake",
        request_id=event.request_id,
        employer_id=event.employer_id,
        request_version=version,
        **fields,
    )


async def backlog_decided(stack, make) -> None:
    """This module's matching reads the shared topic from its start: wait until it has decided
    what earlier modules left there (one marker per partition, decided after all before it)."""
    markers = []
    for partition in range(3):
        event = make.submitted(make.data(surnames=make.surname(), birth_date=born()))
        await stack.producer.send_and_wait(
            event.topic, event.model_dump_json().encode(), key=event.key, partition=partition
        )
        markers.append(event)
    for event in markers:
        await stack.outcomes(event.request_id, wait_s=120)


async def test_the_figures_count_what_happened_and_only_agents_read_them(stack, make, client):
    agent = stack.token(sub="agent-figures")
    await backlog_decided(stack, make)
    before = (await client.get("/review/metrics", headers=agent)).json()
    for _ in range(2):
        _, outcome = await decided(stack, make, birth_date=born())
        assert isinstance(outcome, NumberAssigned)
    minors = [await decided(stack, make, birth_date="2014-03") for _ in range(2)]
    assert all(isinstance(o, ReviewOpened) for _, o in minors)
    # No birth date, place or residence abroad: the employer is asked (three times).
    asked = [await decided(stack, make, birth_date=None, birth_place=None) for _ in range(3)]
    assert all(isinstance(o, InfoRequested) for _, o in asked), [o for _, o in asked]

    (_, case) = minors[0]
    await client.post(f"/review/cases/{case.case_id}/claim", headers=agent)
    body = {"action": "new_person", "reason": "school leaver, 15 in March: checked"}
    answer = await client.post(f"/review/cases/{case.case_id}/decision", headers=agent, json=body)
    assert answer.status_code == 200, answer.text
    answered, expired = asked[0][0], asked[1][0]
    completed = make.data(
        surnames=answered.data.person.surnames,
        given_names=answered.data.person.given_names,
        birth_date=born(),
    )
    await stack.publish(follow_up(answered, InfoProvided, 2, provided_by="hr-1", data=completed))
    (_, settled) = await stack.outcomes(answered.request_id, count=2)
    assert isinstance(settled, NumberAssigned)
    await stack.publish(
        follow_up(expired, RequestExpired, 1, requested_at=expired.occurred_at, after_days=30)
    )

    async def expired_counted():
        now = (await client.get("/review/metrics", headers=agent)).json()
        return now if now["information_requests"]["expired"] > before_info["expired"] else None

    before_info = before["information_requests"]
    now = await eventually(expired_counted)
    at_once, was = now["answered_at_once"], before["answered_at_once"]
    assert at_once["requests"] - was["requests"] == 7
    assert at_once["at_once"] - was["at_once"] == 2
    assert 0 < at_once["share"] < 1
    assert now["queue"]["open"] - before["queue"]["open"] == 1
    assert now["queue"]["age_hours"]["median"] is not None
    assert now["queue"]["age_hours"]["p90"] >= now["queue"]["age_hours"]["median"]
    mine = [d for d in now["decisions_per_agent_day"] if d["agent_id"] == "agent-figures"]
    assert [d["decisions"] for d in mine] == [1]
    reasons = now["research_reasons"]
    assert (
        reasons["under_working_age"] - before["research_reasons"].get("under_working_age", 0) == 2
    )
    info, was_info = now["information_requests"], before_info
    assert {k: info[k] - was_info[k] for k in info} == {
        "asked": 3,
        "answered": 1,
        "expired": 1,
        "waiting": 1,
    }
    assert now["expected_delay_days"]["under_working_age"] == 1

    manager = stack.token(roles=("manager",), sub="manager-1")
    read = (await client.get("/review/metrics", headers=manager)).json()
    assert read["information_requests"] == info
    assert (await client.get("/review/cases", headers=manager)).status_code == 403  # figures only
    employer = stack.token(roles=("requester",), employer_id="0123456789")
    assert (await client.get("/review/metrics", headers=employer)).status_code == 403
