"""Employer A's token on employer B's draft, request or document: always 404, nothing changes."""

import uuid

import pytest


@pytest.fixture
async def owned(tenant):
    """B's submitted request, B's open draft with a page, and that page's document id."""
    request = (await tenant.submit(await tenant.filled_draft())).json()
    draft_id = await tenant.filled_draft()
    draft = (await tenant.call("GET", f"/drafts/{draft_id}")).json()
    return {
        "request": request["id"],
        "draft": draft_id,
        "document": draft["steps"]["document"]["pages"][0]["id"],
    }


ROUTES = [
    ("GET", "/drafts/{draft}", None),
    ("PUT", "/drafts/{draft}/document", {"type": "passport", "issuing_country": "PL"}),
    ("PUT", "/drafts/{draft}/person", {"surnames": "Nowak"}),
    ("PUT", "/drafts/{draft}/address", {"residence": {"city": "Gdańsk", "country": "PL"}}),
    ("PUT", "/drafts/{draft}/pages", {"pages": ["{document}"]}),
    ("DELETE", "/drafts/{draft}/pages/{document}", None),
    ("POST", "/drafts/{draft}/submit", {"notification_email": "x@example.be", "language": "en"}),
    ("DELETE", "/drafts/{draft}", None),
    ("GET", "/documents/{document}", None),
    ("GET", "/requests/{request}", None),
    ("GET", "/requests/{request}/versions", None),
    ("POST", "/requests/{request}/cancel", None),
    ("POST", "/requests/{request}/amendment", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
async def test_another_employer_gets_404_on_every_route(owned, other_tenant, method, path, body):
    import json

    filled = json.loads(json.dumps(body).replace("{document}", owned["document"])) if body else None

    response = await other_tenant.call(
        method, path.format(**owned), json=filled, headers={"Idempotency-Key": str(uuid.uuid4())}
    )

    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_another_employer_cannot_upload_to_the_draft(owned, other_tenant, scans):
    response = await other_tenant.upload(owned["draft"], scans.sharp())

    assert response.status_code == 404


async def test_after_all_those_attempts_the_owners_data_is_untouched(owned, tenant, other_tenant):
    for method, path, _ in ROUTES:
        await other_tenant.call(
            method, path.format(**owned), headers={"Idempotency-Key": str(uuid.uuid4())}
        )

    assert (await tenant.call("GET", f"/drafts/{owned['draft']}")).json()["steps"]["person"][
        "data"
    ]["surnames"] == "Kowalska"
    assert (await tenant.call("GET", f"/requests/{owned['request']}")).json()[
        "status"
    ] == "submitted"
    assert (await tenant.call("GET", f"/documents/{owned['document']}")).status_code == 200


async def test_an_agent_token_is_refused_on_employer_routes(client, token, owned):
    response = await client.get(f"/drafts/{owned['draft']}", headers=token(None, roles=("agent",)))

    assert response.status_code == 403


async def test_no_token_no_draft(client):
    assert (await client.post("/drafts")).status_code == 401
