"""contracts.access in intake: a colleague reads every request of the company, but only the
requester and the employer's admins change one, and a draft is its author's alone."""

import uuid

import pytest

from contracts import InfoRequested
from eventing.db import transaction
from eventing.parts import SESSIONS
from intake.handlers import HANDLERS


@pytest.fixture
async def submitted(tenant) -> str:
    response = await tenant.submit(await tenant.filled_draft())
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def ask_for_information(app, tenant, request_id: str) -> None:
    event = InfoRequested(
        producer="matching",
        request_id=uuid.UUID(request_id),
        employer_id=tenant.employer_id,
        request_version=1,
        missing=["birth_place"],
    )
    async with transaction(SESSIONS.of(app)) as tx:
        await HANDLERS[InfoRequested](event, tx)


async def test_a_colleague_reads_the_request_and_sees_who_asked(submitted, colleague):
    response = await colleague.call("GET", f"/requests/{submitted}")

    assert response.status_code == 200
    assert response.json()["requester_id"] == "hr-1"


async def test_a_requester_cannot_cancel_a_colleagues_request(submitted, tenant, colleague):
    response = await colleague.call("POST", f"/requests/{submitted}/cancel", json={})

    assert response.status_code == 403
    assert response.json()["code"] == "request.requester_or_admin_only"
    assert (await tenant.call("GET", f"/requests/{submitted}")).json()["status"] == "submitted"


async def test_an_admin_of_the_employer_cancels_any_of_its_requests(submitted, admin):
    response = await admin.call("POST", f"/requests/{submitted}/cancel", json={})

    assert response.status_code == 200 and response.json()["status"] == "cancelled"


async def test_the_requester_cancels_her_own_request(submitted, tenant):
    response = await tenant.call("POST", f"/requests/{submitted}/cancel", json={})

    assert response.status_code == 200


async def test_only_the_requester_or_an_admin_answers_an_information_request(
    app, submitted, tenant, colleague, admin
):
    await ask_for_information(app, tenant, submitted)

    refused = await colleague.call("POST", f"/requests/{submitted}/amendment")
    by_admin = await admin.call("POST", f"/requests/{submitted}/amendment")
    by_requester = await tenant.call("POST", f"/requests/{submitted}/amendment")

    assert refused.status_code == 403
    assert by_admin.status_code == 201
    # The admin's answer is her draft: the requester is told someone else is at it.
    assert by_requester.status_code == 409
    assert by_requester.json()["code"] == "request.answer_in_progress"


DRAFT_ROUTES = [
    ("GET", "/drafts/{draft}", None),
    ("PUT", "/drafts/{draft}/document", {"type": "passport", "issuing_country": "PL"}),
    ("PUT", "/drafts/{draft}/person", {"surnames": "Nowak"}),
    ("PUT", "/drafts/{draft}/pages", {"pages": ["{document}"]}),
    ("DELETE", "/drafts/{draft}/pages/{document}", None),
    ("POST", "/drafts/{draft}/submit", {"notification_email": "x@example.be", "language": "en"}),
    ("DELETE", "/drafts/{draft}", None),
    ("GET", "/documents/{document}", None),
]


@pytest.mark.parametrize("who", ["colleague", "admin"])
@pytest.mark.parametrize(
    ("method", "path", "body"), DRAFT_ROUTES, ids=[f"{m} {p}" for m, p, _ in DRAFT_ROUTES]
)
async def test_a_draft_and_its_scans_are_only_their_authors(
    request, tenant, who, method, path, body
):
    other = request.getfixturevalue(who)
    draft_id = await tenant.filled_draft()
    draft = (await tenant.call("GET", f"/drafts/{draft_id}")).json()
    ids = {"draft": draft_id, "document": draft["steps"]["document"]["pages"][0]["id"]}
    filled = None
    if body is not None:
        filled = {k: ([ids["document"]] if k == "pages" else v) for k, v in body.items()}

    response = await other.call(
        method, path.format(**ids), json=filled, headers={"Idempotency-Key": str(uuid.uuid4())}
    )

    assert response.status_code == 404, response.text
    assert (await tenant.call("GET", f"/drafts/{draft_id}")).json()["steps"] == draft["steps"]


async def test_a_colleague_cannot_upload_to_a_draft_not_hers(tenant, colleague, scans):
    draft_id = await tenant.new_draft()

    assert (await colleague.upload(draft_id, scans.sharp())).status_code == 404


async def test_a_submitted_requests_scans_are_read_by_every_colleague(submitted, tenant, colleague):
    request = (await tenant.call("GET", f"/requests/{submitted}")).json()
    document_id = request["data"]["documents"][0]["document_id"]

    assert (await colleague.call("GET", f"/documents/{document_id}")).status_code == 200


async def test_a_cancel_reason_with_a_control_character_is_a_422_naming_it(submitted, tenant):
    response = await tenant.call("POST", f"/requests/{submitted}/cancel", json={"reason": "no\x00"})

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["reason"]
    assert (await tenant.call("GET", f"/requests/{submitted}")).json()["status"] == "submitted"
