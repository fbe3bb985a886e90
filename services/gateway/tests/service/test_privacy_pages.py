"""No personal data in the portal's URLs: a name searched, a number downloaded (issue 11 item 6)."""

import json

import httpx
import pytest

REQUEST_ID = "0b6f3c1e-5d2a-4f7e-8a9b-1c2d3e4f5a6b"
SSIN = "90040200231"


@pytest.fixture
def calls(upstream):
    seen: list[httpx.Request] = []

    def history(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/counts"):
            return httpx.Response(200, json={"counts": {}, "total": 0})
        return httpx.Response(200, json={"items": [], "next_cursor": None})

    upstream["/history"] = history
    upstream["/drafts"] = lambda request: httpx.Response(200, json=[])
    return seen


async def test_a_name_searched_on_the_dashboard_never_enters_a_url(client, helpers, calls):
    await helpers.sign_in(client, role="admin", user="alice")
    form = {"csrf_token": await helpers.csrf_of(client, "/dashboard"), "q": "Kowalska Anna"}

    sent = await client.post("/dashboard/search", data=form | {"status": "submitted"})
    shown = await client.get(sent.headers["location"])

    assert sent.status_code == 303 and "search=" in sent.headers["location"]
    assert (
        "Kowalska" not in sent.headers["location"]
        and "status=submitted" in sent.headers["location"]
    )
    assert shown.status_code == 200 and 'value="Kowalska Anna"' in shown.text
    assert all("Kowalska" not in str(r.url) for r in calls)
    listed = [json.loads(r.content) for r in calls if r.url.path.endswith("/search")][-1]
    assert listed["q"] == "Kowalska Anna" and listed["status"] == ["submitted"]


async def test_another_sessions_handle_finds_no_search(client, make_app, helpers, calls):
    await helpers.sign_in(client, role="admin", user="alice")
    form = {"csrf_token": await helpers.csrf_of(client, "/dashboard"), "q": "Kowalska"}
    location = (await client.post("/dashboard/search", data=form)).headers["location"]
    client.cookies.clear()
    await helpers.sign_in(client, role="admin", user="bert")

    shown = await client.get(location)

    assert shown.status_code == 200 and "Kowalska" not in shown.text


async def test_the_confirmation_pdf_is_not_named_after_the_number(client, helpers, upstream):
    view = {
        "id": REQUEST_ID,
        "status": "number_assigned",
        "version": 1,
        "ssin": SSIN,
        "ssin_kind": "new_bis",
        "outcome": {},
        "data": {"person": {"surnames": "Kowalska", "given_names": "Anna"}},
        "submitted_at": "2026-12-01T10:00:00Z",
        "updated_at": "2026-12-01T10:00:00Z",
    }
    upstream[f"/requests/{REQUEST_ID}"] = lambda request: httpx.Response(200, json=view)
    await helpers.sign_in(client, role="requester", user="alice")

    response = await client.get(f"/requests/{REQUEST_ID}/confirmation.pdf")

    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert SSIN not in disposition and REQUEST_ID in disposition
