"""The request page and the API wait for a status change through intake's long poll."""

import httpx
import pytest

from gateway.devidp import DevIdentityProvider

REQUEST_ID = "6f1c1b8e-2a57-4c1e-9f0e-6a1d2b3c4d5e"


def view(status: str, ssin: str | None = None) -> dict:
    return {
        "id": REQUEST_ID,
        "status": status,
        "version": 1,
        "ssin": ssin,
        "ssin_kind": "new_bis" if ssin else None,
        "outcome": {},
        "data": {"person": {"surnames": "Kowalska", "given_names": "Anna"}},
        "submitted_at": "2026-12-01T10:00:00Z",
        "updated_at": "2026-12-01T10:00:00Z",
        "requester_id": "alice",
        "requester_name": "Alice",
    }


@pytest.fixture
def intake(upstream) -> list[httpx.Request]:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.params.get("wait"):
            return httpx.Response(200, json=view("number_assigned", "90440200281"))
        return httpx.Response(200, json=view("submitted"))

    upstream[f"/requests/{REQUEST_ID}"] = answer
    upstream["/history"] = lambda request: httpx.Response(200, json={"timeline": []})
    return seen


async def test_the_page_waits_for_the_status_it_shows_to_change(client, helpers, intake):
    await helpers.sign_in(client, user="alice")
    page = await client.get(f"/requests/{REQUEST_ID}")
    assert f'data-poll="/requests/{REQUEST_ID}/status"' in page.text

    answer = await client.get(
        f"/requests/{REQUEST_ID}/status", params={"wait": 25, "status": "submitted"}
    )

    assert answer.json()["status"] == "number_assigned"
    assert answer.json()["ssin"].replace(".", "").replace("-", "") == "90440200281"
    assert answer.json()["number_label"].startswith("INSZ/NISS")
    asked = intake[-1].url.params
    assert (asked["wait"], asked["status"]) == ("25.0", "submitted")


async def test_a_pages_calls_carry_the_page_requests_correlation_id(client, helpers, intake):
    await helpers.sign_in(client, user="alice")

    page = await client.get(f"/requests/{REQUEST_ID}", headers={"X-Correlation-Id": "desk-42"})

    assert page.status_code == 200
    assert intake[-1].headers["x-correlation-id"] == "desk-42"
    assert intake[-1].headers["x-request-id"] == page.headers["x-request-id"]


async def test_the_page_bounds_the_wait(client, helpers, intake):
    await helpers.sign_in(client, user="alice")

    answer = await client.get(f"/requests/{REQUEST_ID}/status", params={"wait": 3600})

    assert answer.status_code == 422
    assert not any(r.url.params.get("wait") for r in intake)


async def test_the_api_forwards_a_long_poll_to_intake(client, keys, intake):
    idp = DevIdentityProvider(
        keys[0].read_text(), issuer="idpro-dev-idp", audience="idpro", ttl_s=60
    )
    token = idp.mint(subject="u1", name=None, employer_id="0123456789", roles=["requester"])

    answer = await client.get(
        f"/api/requests/{REQUEST_ID}",
        params={"wait": 20, "status": "submitted"},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert answer.json()["status"] == "number_assigned"
    assert (intake[-1].url.params["wait"], intake[-1].url.params["status"]) == ("20", "submitted")


async def test_the_api_passes_a_safe_correlation_id_on_and_replaces_an_unsafe_one(
    client, keys, intake
):
    idp = DevIdentityProvider(
        keys[0].read_text(), issuer="idpro-dev-idp", audience="idpro", ttl_s=60
    )
    token = idp.mint(subject="u1", name=None, employer_id="0123456789", roles=["requester"])
    auth = {"Authorization": f"Bearer {token}"}

    kept = await client.get(
        f"/api/requests/{REQUEST_ID}", headers={**auth, "X-Correlation-Id": "payroll:run-7"}
    )
    assert kept.headers["x-correlation-id"] == "payroll:run-7"
    assert intake[-1].headers["x-correlation-id"] == "payroll:run-7"

    replaced = await client.get(
        f"/api/requests/{REQUEST_ID}", headers={**auth, "X-Correlation-Id": "a b<c>" * 30}
    )
    made = replaced.headers["x-correlation-id"]
    assert made != "a b<c>" * 30
    assert intake[-1].headers["x-correlation-id"] == made
    assert intake[-1].headers["x-request-id"] == replaced.headers["x-request-id"]
