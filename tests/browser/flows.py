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


def submit_draft_with_scan(
    system: System, actor: Actor, *, language: str, email: str, **person
) -> str:
    """A request sent through the wizard's API, with one scanned page (for the scan viewer)."""
    from devstack.scans import sharp_card  # noqa: PLC0415

    body = sample_request(**person)
    with httpx.Client(
        base_url=f"{system.url('gateway')}/api", headers=actor.headers, timeout=30
    ) as api:
        draft = api.post("/drafts").json()["id"]
        assert (
            api.put(
                f"/drafts/{draft}/document", json={"type": "passport", "issuing_country": "PL"}
            ).status_code
            == 200
        )
        assert api.put(f"/drafts/{draft}/person", json=body["person"]).status_code == 200
        assert (
            api.put(f"/drafts/{draft}/address", json={"residence": body["residence"]}).status_code
            == 200
        )
        page = api.post(
            f"/drafts/{draft}/pages", files={"file": ("card.png", sharp_card(), "image/png")}
        )
        assert page.status_code == 201, page.text
        sent = api.post(
            f"/drafts/{draft}/submit",
            json={"notification_email": email, "language": language},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
    assert sent.status_code == 201, sent.text
    return sent.json()["id"]


def review_cases(
    system: System, actor: Actor, *, language: str, email: str, count: int, with_scan: int = 0
) -> list[str]:
    """`count` requests matching sends to review (twins of registry persons), the first
    `with_scan` of them with a scanned page; submitted side by side, then awaited."""
    people = [
        (
            unique_surname(),
            f"19{random.randint(60, 99)}-0{random.randint(1, 9)}-1{random.randint(0, 9)}",
        )
        for _ in range(count)
    ]
    common = {"language": language, "email": email}
    firsts = [
        submit(system, actor, surnames=s, given_names="Anna Maria", birth_date=b, **common)
        for s, b in people
    ]
    for first in firsts:
        assert wait_status(system, actor, first)["status"] == "number_assigned"
    twins = [
        submit_draft_with_scan(
            system,
            actor,
            language=language,
            email=email,
            surnames=s,
            given_names="Anna Marta",
            birth_date=b,
        )
        if i < with_scan
        else submit(system, actor, surnames=s, given_names="Anna Marta", birth_date=b, **common)
        for i, (s, b) in enumerate(people)
    ]
    for twin in twins:
        outcome = wait_status(system, actor, twin)
        assert outcome["status"] == "under_review", outcome
    return twins
