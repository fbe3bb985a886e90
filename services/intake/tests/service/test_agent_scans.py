"""Agents read the scans of a request under research, and nothing else of an employer's account."""

import uuid

from contracts import NumberAssigned, ReviewOpened
from eventing.db import transaction
from eventing.parts import SESSIONS
from intake.handlers import HANDLERS


async def decide(app, event) -> None:
    async with transaction(SESSIONS.of(app)) as tx:
        await HANDLERS[type(event)](event, tx)


async def submitted_scan(tenant) -> tuple[str, str]:
    draft_id = await tenant.filled_draft()
    document_id = (await tenant.call("GET", f"/drafts/{draft_id}")).json()["steps"]["document"][
        "pages"
    ][0]["id"]
    request_id = (await tenant.submit(draft_id)).json()["id"]
    return request_id, document_id


def event(event_type, tenant, request_id: str, **fields):
    return event_type(
        producer="matching",
        request_id=uuid.UUID(request_id),
        employer_id=tenant.employer_id,
        **fields,
    )


async def test_an_agent_reads_the_scan_of_a_request_under_review(tenant, app, client, token):
    request_id, document_id = await submitted_scan(tenant)
    await decide(
        app,
        event(
            ReviewOpened, tenant, request_id, case_id=uuid.uuid4(), reason="ambiguous_candidates"
        ),
    )

    response = await client.get(f"/documents/{document_id}", headers=token(None, roles=("agent",)))

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_an_agent_cannot_read_the_scan_of_a_request_not_under_research(
    tenant, app, client, token
):
    request_id, document_id = await submitted_scan(tenant)
    agent = token(None, roles=("agent",))

    before = await client.get(f"/documents/{document_id}", headers=agent)
    await decide(app, event(NumberAssigned, tenant, request_id, ssin="90440200202", kind="new_bis"))
    after = await client.get(f"/documents/{document_id}", headers=agent)

    assert (before.status_code, after.status_code) == (404, 404)


async def test_an_agent_cannot_read_a_scan_still_in_a_draft(tenant, client, token):
    draft_id = await tenant.filled_draft()
    document_id = (await tenant.call("GET", f"/drafts/{draft_id}")).json()["steps"]["document"][
        "pages"
    ][0]["id"]

    response = await client.get(f"/documents/{document_id}", headers=token(None, roles=("agent",)))

    assert response.status_code == 404
