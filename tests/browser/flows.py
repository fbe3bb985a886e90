"""What the browser tests set up through the API: other users' requests, review cases."""

import random
import time
import uuid

import httpx

from devstack.system import System
from tests.support import Actor, sample_request


def unique_surname() -> str:
    letters = "bcdfghjklmnprstvwz"
    return "".join(random.choice(letters) + random.choice("aeiou") for _ in range(4)).title()


def submit(system: System, actor: Actor, **person) -> str:
    body = sample_request(**person)
    with httpx.Client(base_url=system.url("gateway"), timeout=30) as client:
        response = client.post(
            "/api/requests",
            json=body,
            headers={**actor.headers, "Idempotency-Key": str(uuid.uuid4())},
        )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def status_of(system: System, actor: Actor, request_id: str) -> dict:
    with httpx.Client(base_url=system.url("gateway"), timeout=30) as client:
        return client.get(f"/api/requests/{request_id}", headers=actor.headers).json()


def wait_status(
    system: System,
    actor: Actor,
    request_id: str,
    *,
    leaving: str = "submitted",
    timeout: float = 30.0,
) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        view = status_of(system, actor, request_id)
        if view["status"] != leaving:
            return view
        time.sleep(0.3)
    raise AssertionError(f"{request_id} still {leaving} after {timeout}s")


def review_case(system: System, actor: Actor) -> str:
    """A request that matching sends to review: the twin of a person already in the registry."""
    surname, born = (
        unique_surname(),
        f"19{random.randint(60, 99)}-0{random.randint(1, 9)}-1{random.randint(0, 9)}",
    )
    first = submit(system, actor, surnames=surname, given_names="Anna Maria", birth_date=born)
    assert wait_status(system, actor, first)["status"] == "number_assigned"
    twin = submit(system, actor, surnames=surname, given_names="Anna Marta", birth_date=born)
    outcome = wait_status(system, actor, twin)
    assert outcome["status"] == "under_review", outcome
    return twin
