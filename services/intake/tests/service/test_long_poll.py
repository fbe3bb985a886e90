"""GET /requests/{id}?wait=…: answered when the status changes (LISTEN/NOTIFY), bounded in time."""

import asyncio
import time
import uuid

import pytest

from contracts import NumberAssigned
from eventing.db import transaction
from eventing.parts import SESSIONS
from intake.api.common import STATUS_CHANGES
from intake.handlers import HANDLERS


def direct_body(samples) -> dict:
    person = {k: v for k, v in samples.person.items() if not k.startswith("document_")}
    return {"person": person, **samples.address, **samples.submit}


def assigned(employer_id: str, request_id: str) -> NumberAssigned:
    return NumberAssigned(
        producer="matching",
        request_id=uuid.UUID(request_id),
        employer_id=employer_id,
        ssin="90440200281",
        kind="new_bis",
    )


async def decide(app, event) -> None:
    async with transaction(SESSIONS.of(app)) as tx:
        await HANDLERS[type(event)](event, tx)


@pytest.fixture
async def listening(app):
    """The status listener started, as the service's lifespan starts it; waits rely on it only."""
    changes = STATUS_CHANGES.of(app)
    recheck = changes.recheck_s
    changes.recheck_s = 60.0  # a wake-up can only come from a notification
    await changes.start()
    await _until(lambda: changes.listening)
    yield changes
    await changes.stop()
    changes.recheck_s = recheck


async def _until(condition, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition not met"
        await asyncio.sleep(0.01)


async def _submitted(tenant, samples) -> str:
    response = await tenant.call(
        "POST",
        "/requests",
        json=direct_body(samples),
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def test_a_long_poll_is_answered_as_soon_as_the_number_is_assigned(
    tenant, app, samples, listening
):
    request_id = await _submitted(tenant, samples)
    poll = asyncio.create_task(
        tenant.call("GET", f"/requests/{request_id}", params={"wait": 20, "status": "submitted"})
    )
    await _until(lambda: listening.waiting == 1)

    started = time.monotonic()
    await decide(app, assigned(tenant.employer_id, request_id))
    response = await poll

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["ssin"]) == (
        "number_assigned",
        "90440200281",
    )
    assert time.monotonic() - started < 10  # woken by the notification, not by the 20 s bound
    assert listening.waiting == 0


async def test_a_change_before_the_poll_arrived_is_answered_at_once(tenant, app, samples):
    # The caller saw "submitted"; the number came before its long poll: no wait at all.
    request_id = await _submitted(tenant, samples)
    await decide(app, assigned(tenant.employer_id, request_id))

    response = await tenant.call(
        "GET", f"/requests/{request_id}", params={"wait": 20, "status": "submitted"}
    )

    assert response.json()["status"] == "number_assigned"


async def test_without_a_change_the_poll_answers_the_current_status_after_the_wait(
    tenant, samples, listening
):
    request_id = await _submitted(tenant, samples)

    started = time.monotonic()
    response = await tenant.call("GET", f"/requests/{request_id}", params={"wait": 0.3})

    assert response.json()["status"] == "submitted"
    assert time.monotonic() - started >= 0.3


async def test_without_the_listener_a_wait_still_ends_soon_after_the_change(tenant, app, samples):
    changes = STATUS_CHANGES.of(app)
    assert not changes.listening  # not started here: a database restart looks the same
    request_id = await _submitted(tenant, samples)
    poll = asyncio.create_task(
        tenant.call("GET", f"/requests/{request_id}", params={"wait": 20, "status": "submitted"})
    )
    await _until(lambda: changes.waiting == 1)

    await decide(app, assigned(tenant.employer_id, request_id))

    assert (await poll).json()["status"] == "number_assigned"  # read again every second


async def test_too_many_waiting_clients_get_a_503_with_retry_after(tenant, app, samples):
    changes = STATUS_CHANGES.of(app)
    request_id = await _submitted(tenant, samples)
    limit, changes.max_waiters = changes.max_waiters, 0
    try:
        response = await tenant.call("GET", f"/requests/{request_id}", params={"wait": 5})
    finally:
        changes.max_waiters = limit

    assert (response.status_code, response.json()["code"]) == (503, "wait.too_many_waiting")
    assert response.headers["retry-after"] == "1"


async def test_a_wait_is_bounded_and_another_employers_request_stays_invisible(
    tenant, other_tenant, samples
):
    request_id = await _submitted(tenant, samples)

    too_long = await tenant.call("GET", f"/requests/{request_id}", params={"wait": 600})
    foreign = await other_tenant.call("GET", f"/requests/{request_id}", params={"wait": 1})

    assert too_long.status_code == 422
    assert foreign.status_code == 404
