"""What the browser tests set up through the API: other users' requests, review cases."""

import io
import random
import time
import uuid
from datetime import date, timedelta

import httpx

from devstack.system import System
from tests.support import Actor, sample_request


def unique_surname() -> str:
    letters = "bcdfghjklmnprstvwz"
    return "".join(random.choice(letters) + random.choice("aeiou") for _ in range(4)).title()


def a_given_name() -> str:
    """A given name of one's own: matching searches by any given name with the birth date, and a
    shared "Maria" made two tests' people look alike (sent to research instead of a number)."""
    return unique_surname()[:6]


def a_near_name(name: str) -> str:
    """The same name with its last letter changed: one edit, what a typo would give."""
    return name[:-1] + ("a" if name[-1] != "a" else "e")


def a_home() -> dict:
    """A home of one's own: matching weighs the residence, and the tests' people are strangers."""
    return {"street": f"ul. {unique_surname()}", "number": str(random.randint(1, 999))}


def distinct(body: dict, home: dict | None) -> dict:
    body["residence"] = {**body["residence"], **(home or a_home())}
    return body


def submit(system: System, actor: Actor, *, home: dict | None = None, **person) -> str:
    body = distinct(sample_request(**person), home)
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


def a_birth_date() -> str:
    """Any day from 1950 to 2004: the fewer people share one, the fewer look alike."""
    day = date(1950, 1, 1) + timedelta(days=random.randrange(55 * 365))
    return day.isoformat()


def review_case(system: System, actor: Actor, **common) -> str:
    """A request that matching sends to review: the twin of a person already in the registry
    (`common`: what both requests carry besides, e.g. language and email)."""
    surname, born, home = unique_surname(), a_birth_date(), a_home()
    twin = {"surnames": surname, "birth_date": born, "home": home}
    given, second_given = a_given_name(), a_given_name()
    first = submit(system, actor, given_names=f"{given} {second_given}", **twin, **common)
    assert wait_status(system, actor, first)["status"] == "number_assigned"
    twin_names = f"{given} {a_near_name(second_given)}"
    second = submit(system, actor, given_names=twin_names, **twin, **common)
    outcome = wait_status(system, actor, second)
    assert outcome["status"] == "under_review", outcome
    return second


def scan_files() -> list[tuple[str, bytes, str]]:
    """What the scan viewer is shown: the card (its zone is read) and a two-page PDF of a
    passport page and a card's back."""
    from devstack.scans import sharp_card, specimen  # noqa: PLC0415

    first, second = specimen(kind="td3").convert("RGB"), specimen(kind="td1").convert("RGB")
    buffer = io.BytesIO()
    first.save(buffer, "PDF", save_all=True, append_images=[second], resolution=300)
    return [
        ("card.png", sharp_card(), "image/png"),
        ("pages.pdf", buffer.getvalue(), "application/pdf"),
    ]


def submit_draft_with_scan(
    system: System, actor: Actor, *, language: str, email: str, home: dict | None = None, **person
) -> str:
    """A request sent through the wizard's API with scans (for the scan viewer): the card, then
    a two-page PDF."""
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
        for scan in scan_files():
            page = api.post(f"/drafts/{draft}/pages", files={"file": scan})
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
    # Strangers to every other test's people: matching also searches by given names and place.
    people = [
        {"surnames": unique_surname(), "birth_date": a_birth_date(), "home": a_home()}
        for _ in range(count)
    ]
    first_names = [a_given_name() for _ in people]
    second_names = [a_given_name() for _ in people]
    common = {"language": language, "email": email}
    firsts = [
        submit(system, actor, given_names=f"{n} {m}", **p, **common)
        for n, m, p in zip(first_names, second_names, people, strict=True)
    ]
    for first in firsts:
        outcome = wait_status(system, actor, first)
        assert outcome["status"] == "number_assigned", outcome
    twins = [
        submit_draft_with_scan(system, actor, given_names=f"{n} {a_near_name(m)}", **p, **common)
        if i < with_scan
        else submit(system, actor, given_names=f"{n} {a_near_name(m)}", **p, **common)
        for i, (n, m, p) in enumerate(zip(first_names, second_names, people, strict=True))
    ]
    for twin in twins:
        outcome = wait_status(system, actor, twin)
        assert outcome["status"] == "under_review", outcome
    return twins
