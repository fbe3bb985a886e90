"""The review queue: agents only, claim, compare side by side, decide — each decision audited and
producing the same events as an automatic one."""

import random

import httpx
import pytest
from sqlalchemy import select

from contracts import InfoRequested, NumberAssigned, RequestRejected, ReviewOpened
from matching.domain import Person, PersonToFile
from matching.domain.bis import check_digits
from matching.repository import save_person
from matching.tables import MatchLabel, RegistryLookup, ReviewAudit


@pytest.fixture
async def client(stack):
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=stack.app), base_url="http://matching"
    ) as client:
        yield client


@pytest.fixture
def open_case(stack, make):
    """A fresh review case between two registry twins; returns (event, ReviewOpened, ssins)."""

    async def open_case():
        surname = make.surname()
        born = f"19{random.randint(50, 99)}-0{random.randint(1, 9)}-{random.randint(13, 28)}"
        ssins = []
        for serial, given in ((2, "Anna Maria"), (4, "Anna Marta")):
            base = born[2:4] + born[5:7] + born[8:10] + f"{serial:03d}"
            ssins.append(base + check_digits(base, born_2000_or_later=False))
            async with stack.sessions.begin() as tx:
                await save_person(
                    tx,
                    PersonToFile(
                        ssin=ssins[-1],
                        origin="test",
                        identity=Person(
                            surnames=surname, given_names=given, sex="female", birth_date=born
                        ),
                    ),
                )
        event = make.submitted(make.data(surnames=surname, given_names="Anna", birth_date=born))
        await stack.publish(event)
        (opened,) = await stack.outcomes(event.request_id)
        assert isinstance(opened, ReviewOpened)
        return event, opened, ssins

    return open_case


async def test_employer_tokens_are_refused_on_the_review_queue(stack, client):
    for roles in (("requester",), ("admin",)):
        headers = stack.token(roles=roles, employer_id="0123456789", sub="hr-1")
        assert (await client.get("/review/cases", headers=headers)).status_code == 403


async def test_an_agent_sees_the_request_beside_each_candidate_but_no_employer_account_data(
    stack, client, open_case
):
    event, opened, ssins = await open_case()
    agent = stack.token()

    listed = (await client.get("/review/cases", headers=agent)).json()
    shown = await client.get(f"/review/cases/{opened.case_id}", headers=agent)

    assert str(opened.case_id) in [c["case_id"] for c in listed]
    body = shown.json()
    # Both twins are candidates (a look-alike another test filed may be one too: a year apart).
    twins = [c for c in body["candidates"] if c["ssin"] in ssins]
    assert len(twins) == 2
    fields = {f["field"]: f for f in twins[0]["fields"]}
    assert fields["given_names"]["request"] == "Anna"
    assert fields["birth_date"]["agreement"] == "exact"
    assert event.notification_email not in shown.text and event.requester_id not in shown.text


async def test_an_agent_decision_produces_the_same_event_as_an_automatic_one_and_is_audited(
    stack, client, open_case
):
    event, opened, ssins = await open_case()
    agent = stack.token(sub="agent-7")
    case = (await client.get(f"/review/cases/{opened.case_id}", headers=agent)).json()
    person_id = next(c["person_id"] for c in case["candidates"] if c["ssin"] == ssins[1])

    claimed = await client.post(f"/review/cases/{opened.case_id}/claim", headers=agent)
    decided = await client.post(
        f"/review/cases/{opened.case_id}/decision",
        headers=agent,
        json={"action": "same_person", "person_id": person_id, "reason": "second name on the scan"},
    )

    assert (claimed.status_code, decided.status_code) == (200, 200)
    (_, assigned) = await stack.outcomes(event.request_id, count=2)
    assert isinstance(assigned, NumberAssigned)
    assert (assigned.ssin, assigned.decided_by, assigned.agent_id) == (ssins[1], "agent", "agent-7")
    async with stack.sessions() as tx:
        trail = list(
            await tx.scalars(
                select(ReviewAudit)
                .where(ReviewAudit.case_id == opened.case_id)
                .order_by(ReviewAudit.id)
            )
        )
    assert [(a.actor, a.action) for a in trail] == [
        ("agent-7", "claimed"),
        ("agent-7", "same_person"),
    ]
    assert trail[1].reason == "second name on the scan" and trail[1].at is not None


async def test_a_case_claimed_by_one_agent_cannot_be_taken_by_another(stack, client, open_case):
    _, opened, _ = await open_case()
    await client.post(f"/review/cases/{opened.case_id}/claim", headers=stack.token(sub="a-1"))

    response = await client.post(
        f"/review/cases/{opened.case_id}/decision",
        headers=stack.token(sub="a-2"),
        json={"action": "reject", "reason": "mine now"},
    )

    assert response.status_code == 409


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"action": "new_person", "reason": "not the twin"}, NumberAssigned),
        (
            {
                "action": "request_information",
                "reason": "scan unreadable",
                "message": "Please upload a sharper scan of the passport.",
            },
            InfoRequested,
        ),
        (
            {"action": "reject", "reason": "forged document", "reason_code": "document_not_valid"},
            RequestRejected,
        ),
    ],
)
async def test_every_agent_action_produces_its_event(stack, client, open_case, body, expected):
    event, opened, _ = await open_case()

    response = await client.post(
        f"/review/cases/{opened.case_id}/decision", headers=stack.token(sub="agent-3"), json=body
    )

    assert response.status_code == 200
    (_, outcome) = await stack.outcomes(event.request_id, count=2)
    assert isinstance(outcome, expected) and outcome.agent_id == "agent-3"
    if expected is NumberAssigned:
        assert outcome.kind == "new_bis" and outcome.decided_by == "agent"
    # The internal note stays in the audit trail: the event carries only what the employer reads.
    assert body["reason"] not in outcome.model_dump_json()
    again = await client.post(
        f"/review/cases/{opened.case_id}/decision", headers=stack.token(sub="agent-3"), json=body
    )
    assert again.status_code == 409


async def test_the_queue_names_worker_employer_reason_and_waiting_since_oldest_first(
    stack, client, open_case
):
    first_event, first, _ = await open_case()
    _, second, _ = await open_case()
    agent = stack.token()

    listed = (await client.get("/review/cases", params={"limit": 500}, headers=agent)).json()
    other_reason = await client.get(
        "/review/cases", params={"reason": "claimed_ssin_differs"}, headers=agent
    )

    ids = [c["case_id"] for c in listed]
    assert ids.index(str(first.case_id)) < ids.index(str(second.case_id))
    assert [c["opened_at"] for c in listed] == sorted(c["opened_at"] for c in listed)
    item = next(c for c in listed if c["case_id"] == str(first.case_id))
    person = first_event.data.person
    assert item["worker"] == {"surnames": person.surnames, "given_names": person.given_names}
    assert (item["employer_id"], item["reason"]) == (first_event.employer_id, first.reason)
    assert item["status"] == "open" and item["claimed_by"] is None and item["closed_at"] is None
    assert str(first.case_id) not in [c["case_id"] for c in other_reason.json()]


async def test_a_case_shows_each_candidates_number_its_holder_and_once_closed_its_decision(
    stack, client, open_case
):
    _, opened, ssins = await open_case()
    agent = stack.token(sub="agent-9")
    await client.post(f"/review/cases/{opened.case_id}/claim", headers=agent)

    held = (await client.get(f"/review/cases/{opened.case_id}", headers=agent)).json()
    person_id = next(c["person_id"] for c in held["candidates"] if c["ssin"] == ssins[0])
    await client.post(
        f"/review/cases/{opened.case_id}/decision",
        headers=agent,
        json={"action": "same_person", "person_id": person_id, "reason": "scan shows Maria"},
    )
    closed = (await client.get(f"/review/cases/{opened.case_id}", headers=agent)).json()

    assert set(ssins) <= {c["ssin"] for c in held["candidates"]}
    assert (held["case"]["status"], held["case"]["claimed_by"]) == ("claimed", "agent-9")
    assert held["decision"] is None
    assert closed["case"]["status"] == "closed" and closed["case"]["resolution"] == "same_person"
    decision = closed["decision"]
    assert (decision["action"], decision["decided_by"], decision["ssin"]) == (
        "same_person",
        "agent-9",
        ssins[0],
    )
    assert decision["person_id"] == person_id and decision["reason"] == "scan shows Maria"


# Serials of the strangers' numbers, drawn without replacement: each test's stranger is filed
# in this module's database, and a serial drawn anew each time once repeated (a duplicate key).
_STRANGER_SERIALS = iter(random.sample(range(1, 998, 2), 499))


async def stranger(stack, make) -> tuple[int, str]:
    """A registry person who is no candidate of any case: (person_id, ssin)."""
    base = "551231" + f"{next(_STRANGER_SERIALS):03d}"
    ssin = base + check_digits(base, born_2000_or_later=False)
    async with stack.sessions.begin() as tx:
        person_id = await save_person(
            tx,
            PersonToFile(
                ssin=ssin,
                origin="test",
                identity=Person(
                    surnames=make.surname(), given_names="Piet", birth_date="1955-12-31"
                ),
            ),
        )
    return person_id, ssin


async def test_same_person_must_name_a_candidate_or_a_person_the_agent_looked_up(
    stack, client, open_case, make
):
    _, opened, _ = await open_case()
    other_id, other_ssin = await stranger(stack, make)
    agent = stack.token(sub="agent-5")
    decision = {"action": "same_person", "person_id": other_id, "reason": "found by phone"}

    refused = await client.post(
        f"/review/cases/{opened.case_id}/decision", headers=agent, json=decision
    )
    looked_up = await client.post(
        "/registry/search",
        headers=agent,
        json={"ssin": other_ssin, "case_id": str(opened.case_id)},
    )
    accepted = await client.post(
        f"/review/cases/{opened.case_id}/decision", headers=agent, json=decision
    )

    assert refused.status_code == 422
    assert refused.json()["code"] == "review.person_not_offered"
    assert [p["person_id"] for p in looked_up.json()] == [other_id]
    assert accepted.status_code == 200 and accepted.json()["ssin"] == other_ssin


async def test_another_agents_look_up_does_not_open_the_door(stack, client, open_case, make):
    _, opened, _ = await open_case()
    other_id, other_ssin = await stranger(stack, make)
    await client.post(
        "/registry/search",
        headers=stack.token(sub="agent-x"),
        json={"ssin": other_ssin, "case_id": str(opened.case_id)},
    )

    response = await client.post(
        f"/review/cases/{opened.case_id}/decision",
        headers=stack.token(sub="agent-y"),
        json={"action": "same_person", "person_id": other_id, "reason": "x found it"},
    )

    assert response.status_code == 422


async def test_the_registry_look_up_is_for_agents_only_and_every_search_is_audited(
    stack, client, make
):
    _, ssin = await stranger(stack, make)
    employer = stack.token(roles=("admin",), employer_id="0123456789", sub="hr-1")

    refused = await client.post("/registry/search", headers=employer, json={"ssin": ssin})
    found = await client.post(
        "/registry/search", headers=stack.token(sub="agent-audit"), json={"ssin": ssin}
    )

    assert refused.status_code == 403
    assert [p["ssin"] for p in found.json()] == [ssin]
    async with stack.sessions() as tx:
        trail = list(
            await tx.scalars(select(RegistryLookup).where(RegistryLookup.agent_id == "agent-audit"))
        )
    assert [t.query for t in trail] == [{"ssin": ssin}]


async def test_an_agents_decision_is_kept_as_labels_for_the_next_estimate(stack, client, open_case):
    _, opened, ssins = await open_case()
    agent = stack.token(sub="agent-6")
    case = (await client.get(f"/review/cases/{opened.case_id}", headers=agent)).json()
    chosen = next(c["person_id"] for c in case["candidates"] if c["ssin"] == ssins[0])

    await client.post(
        f"/review/cases/{opened.case_id}/decision",
        headers=agent,
        json={"action": "same_person", "person_id": chosen, "reason": "scan shows Maria"},
    )

    async with stack.sessions() as tx:
        labels = list(
            await tx.scalars(select(MatchLabel).where(MatchLabel.case_id == opened.case_id))
        )
    assert sorted((lb.person_id == chosen, lb.is_match) for lb in labels) == [
        (False, False),
        (True, True),
    ]
    assert all(lb.levels["birth_date"] == "exact" and lb.labelled_by == "agent-6" for lb in labels)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "same_person", "person_id": 2**63, "reason": "x"}, "body.person_id"),
        ({"action": "new_person", "reason": "checked\x00"}, "body.reason"),
        ({"action": "reject", "reason": "x", "message": "bye\x1b[2J"}, "body.message"),
    ],
)
async def test_a_decision_out_of_bounds_is_a_422_naming_the_field(
    stack, client, open_case, body, field
):
    _, opened, _ = await open_case()
    agent = stack.token(sub="agent-bounds")
    await client.post(f"/review/cases/{opened.case_id}/claim", headers=agent)

    response = await client.post(
        f"/review/cases/{opened.case_id}/decision", headers=agent, json=body
    )

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_a_look_up_for_a_case_that_does_not_exist_is_a_404_not_a_500(stack, client):
    response = await client.post(
        "/registry/search",
        headers=stack.token(sub="agent-lost"),
        json={"surnames": "Nowak", "case_id": "6b212ec4-2ef9-4e23-b02e-7b9b5fe333f1"},
    )

    assert response.status_code == 404 and response.json()["code"] == "review.case_not_found"
