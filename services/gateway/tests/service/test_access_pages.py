"""The portal says what contracts.access says: every user reads the company's requests; only the
requester and the employer's admins are offered to cancel or answer one."""

import json

import httpx
import pytest

REQUEST_ID = "6f1c1b8e-2a57-4c1e-9f0e-6a1d2b3c4d5e"


def request_view(status: str = "under_review", requester: str = "bob") -> dict:
    return {
        "id": REQUEST_ID,
        "status": status,
        "version": 1,
        "ssin": None,
        "ssin_kind": None,
        "outcome": {"reason": "uncertain_match"},
        "data": {"person": {"surnames": "Kowalska", "given_names": "Anna"}},
        "submitted_at": "2026-12-01T10:00:00Z",
        "updated_at": "2026-12-01T10:00:00Z",
        "requester_id": requester,
        "requester_name": requester.title(),
    }


@pytest.fixture
def services(upstream):
    seen: list[httpx.Request] = []

    def history(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/counts"):
            return httpx.Response(200, json={"counts": {}, "total": 0})
        if request.url.path in ("/history/requests", "/history/requests/search"):
            return httpx.Response(200, json={"items": [], "next_cursor": None})
        return httpx.Response(200, json={"timeline": []})

    upstream["/history"] = history
    upstream["/drafts"] = lambda request: httpx.Response(200, json=[])
    upstream[f"/requests/{REQUEST_ID}"] = lambda request: httpx.Response(200, json=request_view())
    return seen


async def test_a_requester_is_not_offered_to_cancel_a_colleagues_request(client, helpers, services):
    await helpers.sign_in(client, role="requester", user="alice")

    page = await client.get(f"/requests/{REQUEST_ID}")
    confirm = await client.get(f"/requests/{REQUEST_ID}/cancel")

    assert page.status_code == 200
    assert f"/requests/{REQUEST_ID}/cancel" not in page.text and "Bob" in page.text
    assert confirm.status_code == 403


@pytest.mark.parametrize(("role", "user"), [("requester", "bob"), ("admin", "carla")])
async def test_the_requester_and_an_admin_are_offered_to_cancel(
    client, helpers, services, role, user
):
    await helpers.sign_in(client, role=role, user=user)

    page = await client.get(f"/requests/{REQUEST_ID}")

    assert f'href="/requests/{REQUEST_ID}/cancel"' in page.text
    assert (await client.get(f"/requests/{REQUEST_ID}/cancel")).status_code == 200


async def test_a_requester_may_read_the_whole_companys_history(client, helpers, services):
    await helpers.sign_in(client, role="requester", user="alice")

    default = await client.get("/dashboard")
    company = await client.get("/dashboard?scope=company")

    assert "scope=company" in default.text  # offered, not hidden
    assert company.status_code == 200
    listings = [json.loads(r.content) for r in services if r.url.path.endswith("/search")]
    company_list = [body for body in listings if "action_required" not in body][-1]
    waiting_for_her = [body for body in listings if "action_required" in body][-1]
    assert company_list["mine"] is False
    assert waiting_for_her["mine"] is True  # she answers only her own
