"""An API client's endpoint, registered through the gateway, hears of the number as it is assigned."""

import uuid

import pytest
from standardwebhooks import Webhook
from stdnum.be import bis

from devstack.receiver import WebhookReceiver
from tests.support import sample_request


@pytest.fixture
async def receiver():
    async with WebhookReceiver() as running:
        yield running


async def test_an_admins_endpoint_receives_the_signed_number_of_a_new_request(
    gateway, actor, receiver
):
    admin = actor(roles=("admin",))
    requester = actor(employer=admin.employer_id, roles=("requester",))
    created = await gateway.post(
        "/api/webhooks/endpoints",
        json={"url": receiver.script("/idpro"), "event_kinds": ["number_assigned"]},
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text

    request = sample_request()
    submitted = await gateway.post(
        "/api/requests",
        json=request,
        headers={**requester.headers, "Idempotency-Key": str(uuid.uuid4())},
    )
    [received] = await receiver.wait_for(lambda r: len(r) == 1, within=60)

    body = Webhook(created.json()["secret"]).verify(received.body, received.headers)
    assert body["type"] == "request.number_assigned"
    assert body["data"]["request_id"] == submitted.json()["id"]
    assert bis.is_valid(body["data"]["ssin"])
    person = request["person"]
    assert person["surnames"].encode() not in received.body
    assert person["given_names"].encode() not in received.body
    assert person["birth_date"].encode() not in received.body
    listed = await gateway.get(
        f"/api/webhooks/endpoints/{created.json()['id']}/deliveries", headers=admin.headers
    )
    assert [d["status"] for d in listed.json()] in (["delivered"], ["pending"])


async def test_through_the_gateway_only_the_companys_admins_see_its_endpoints(
    gateway, actor, receiver
):
    admin = actor(roles=("admin",))
    created = await gateway.post(
        "/api/webhooks/endpoints",
        json={"url": receiver.script("/idpro"), "event_kinds": ["rejected"]},
        headers=admin.headers,
    )
    path = f"/api/webhooks/endpoints/{created.json()['id']}"

    other_admin = await gateway.get(path, headers=actor(roles=("admin",)).headers)
    requester = await gateway.get(
        path, headers=actor(employer=admin.employer_id, roles=("requester",)).headers
    )
    own = await gateway.get(path, headers=admin.headers)

    assert created.status_code == 201
    assert (other_admin.status_code, requester.status_code, own.status_code) == (404, 403, 200)
    assert "secret" not in own.json()


async def test_the_api_documentation_shows_the_webhook_routes(gateway):
    document = (await gateway.get("/api/openapi.json")).json()

    assert "/api/webhooks/endpoints" in document["paths"]
    assert "/api/webhooks/endpoints/{endpoint_id}/secret/rotate" in document["paths"]
