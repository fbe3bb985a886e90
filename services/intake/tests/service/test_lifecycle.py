"""The lifecycle intake owns: matching's decisions move it; the employer cancels or answers."""

import asyncio
import uuid

from contracts import (
    InfoProvided,
    InfoRequested,
    NumberAssigned,
    RequestCancelled,
    RequestSubmitted,
)
from eventing.db import transaction
from eventing.parts import SESSIONS
from intake.handlers import HANDLERS


async def decide(app, event) -> None:
    """Apply one of matching's events as the consumer would (without the inbox)."""
    async with transaction(SESSIONS.of(app)) as tx:
        await HANDLERS[type(event)](event, tx)


def info_requested(tenant, request_id: str, *, version: int = 1) -> InfoRequested:
    return InfoRequested(
        producer="matching",
        request_id=uuid.UUID(request_id),
        employer_id=tenant.employer_id,
        request_version=version,
        missing=["birth_place"],
        message="Please add the place of birth.",
    )


async def test_an_information_request_shows_what_is_asked(tenant, app):
    request_id = (await tenant.submit(await tenant.filled_draft())).json()["id"]

    await decide(app, info_requested(tenant, request_id))

    request = (await tenant.call("GET", f"/requests/{request_id}")).json()
    assert request["status"] == "information_requested"
    assert request["outcome"]["missing"] == ["birth_place"]
    assert request["outcome"]["message"] == "Please add the place of birth."


async def test_answering_resubmits_a_new_version_with_info_provided(tenant, app, staged, scans):
    request_id = (await tenant.submit(await tenant.filled_draft())).json()["id"]
    await decide(app, info_requested(tenant, request_id))

    amendment = await tenant.call("POST", f"/requests/{request_id}/amendment")
    draft = amendment.json()
    assert amendment.status_code == 201 and draft["amends_request_id"] == request_id
    assert draft["information_requested"]["missing"] == ["birth_place"]
    assert draft["steps"]["person"]["data"]["surnames"] == "Kowalska" and draft["ready"]
    person = {**draft["steps"]["person"]["data"], "birth_place": "Wrocław"}
    await tenant.call("PUT", f"/drafts/{draft['id']}/person", json=person)
    await tenant.upload(draft["id"], scans.pdf(pages=1))

    response = await tenant.submit(draft["id"], body={})

    assert response.status_code == 201, response.text
    assert (response.json()["status"], response.json()["version"]) == ("submitted", 2)
    [event] = await staged(InfoProvided, request_id)
    assert event.request_version == 2 and event.data.person.birth_place == "Wrocław"
    assert len(event.data.documents) == 2
    versions = (await tenant.call("GET", f"/requests/{request_id}/versions")).json()
    assert [(v["version"], v["data"]["person"]["birth_place"]) for v in versions] == [
        (1, "Kraków"),
        (2, "Wrocław"),
    ]


async def test_asking_twice_for_an_amendment_gives_the_same_draft(tenant, app):
    request_id = (await tenant.submit(await tenant.filled_draft())).json()["id"]
    await decide(app, info_requested(tenant, request_id))

    first = await tenant.call("POST", f"/requests/{request_id}/amendment")
    second = await tenant.call("POST", f"/requests/{request_id}/amendment")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]


async def test_no_amendment_unless_information_is_requested(tenant):
    request_id = (await tenant.submit(await tenant.filled_draft())).json()["id"]

    response = await tenant.call("POST", f"/requests/{request_id}/amendment")

    assert (response.status_code, response.json()["code"]) == (
        409,
        "request.not_awaiting_information",
    )


async def test_cancelling_stages_request_cancelled_and_a_final_request_stays_final(
    tenant, app, staged
):
    request_id = (await tenant.submit(await tenant.filled_draft())).json()["id"]

    cancelled = await tenant.call(
        "POST", f"/requests/{request_id}/cancel", json={"reason": "hired elsewhere"}
    )
    again = await tenant.call("POST", f"/requests/{request_id}/cancel")
    await decide(
        app,
        NumberAssigned(
            producer="matching",
            request_id=uuid.UUID(request_id),
            employer_id=tenant.employer_id,
            ssin="90440200281",
            kind="new_bis",
        ),
    )

    assert cancelled.json()["status"] == "cancelled"
    assert (again.status_code, again.json()["code"]) == (409, "request.not_cancellable")
    assert len(await staged(RequestCancelled, request_id)) == 1
    assert (await tenant.call("GET", f"/requests/{request_id}")).json()["status"] == "cancelled"


async def test_a_stale_decision_of_an_older_version_is_ignored(tenant, app, scans):
    request_id = (await tenant.submit(await tenant.filled_draft())).json()["id"]
    await decide(app, info_requested(tenant, request_id))
    draft_id = (await tenant.call("POST", f"/requests/{request_id}/amendment")).json()["id"]
    await tenant.submit(draft_id, body={})

    await decide(app, info_requested(tenant, request_id, version=1))  # replayed late

    request = (await tenant.call("GET", f"/requests/{request_id}")).json()
    assert (request["status"], request["version"]) == ("submitted", 2)


async def test_a_request_submitted_in_one_body_still_works(tenant, samples, staged):
    body = {
        "person": {k: v for k, v in samples.person.items() if not k.startswith("document_")},
        **samples.address,
        **samples.submit,
    }

    response = await tenant.call(
        "POST", "/requests", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}
    )

    assert response.status_code == 201, response.text
    [event] = await staged(RequestSubmitted, response.json()["id"])
    assert event.data.person.surnames == "Kowalska" and event.data.documents == []


async def test_a_callers_correlation_id_is_carried_by_the_request_submitted_event(tenant, staged):
    caller = uuid.uuid4()
    draft_id = await tenant.filled_draft()

    tenant.headers = {**tenant.headers, "X-Correlation-Id": str(caller)}
    response = await tenant.submit(draft_id)

    assert response.headers["x-correlation-id"] == str(caller)
    [event] = await staged(RequestSubmitted, response.json()["id"])
    assert event.correlation_id == caller


def one_body(samples, **person) -> dict:
    kept = {k: v for k, v in samples.person.items() if not k.startswith("document_")}
    return {"person": kept | person, **samples.address, **samples.submit}


async def test_concurrent_submits_with_one_key_make_one_request_and_one_event(
    tenant, samples, staged
):
    headers = {"Idempotency-Key": str(uuid.uuid4())}

    responses = await asyncio.gather(
        *(tenant.call("POST", "/requests", json=one_body(samples), headers=headers)
          for _ in range(5))
    )  # fmt: skip

    assert sorted(r.status_code for r in responses) == [200, 200, 200, 200, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert len(await staged(RequestSubmitted, responses[0].json()["id"])) == 1


async def test_a_key_used_again_for_other_data_is_refused_whatever_the_data(tenant, samples):
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    first = await tenant.call("POST", "/requests", json=one_body(samples), headers=headers)
    assert first.status_code == 201, first.text

    other = await tenant.call(
        "POST", "/requests", json=one_body(samples, surnames="Nowak"), headers=headers
    )
    unidentifiable = await tenant.call(
        "POST", "/requests", json=one_body(samples, birth_date=None), headers=headers
    )

    assert (other.status_code, other.json()["code"]) == (422, "idempotency.key_reused")
    assert unidentifiable.json()["code"] == "idempotency.key_reused"
