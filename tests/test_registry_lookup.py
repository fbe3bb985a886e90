"""The registry look-up through the gateway's API: agents only, in the body, never the URL."""

import uuid

from tests.support import eventually, sample_request


async def test_only_agents_may_search_the_registry_through_the_api(gateway, actor):
    employer = actor(roles=("admin",))
    agent = actor(roles=("agent",))
    body = sample_request(surnames="Lookupová", given_names="Jana", birth_date="1971-03-04")
    created = await gateway.post(
        "/api/requests",
        json=body,
        headers={**employer.headers, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert created.status_code == 201

    async def found():
        response = await gateway.post(
            "/api/registry/search",
            json={"surnames": "Lookupova", "given_names": "Jana", "birth_date": "1971-03-04"},
            headers=agent.headers,
        )
        return response if response.status_code == 200 and response.json() else None

    result = await eventually(found)
    refused = await gateway.post(
        "/api/registry/search", json={"surnames": "Lookupova"}, headers=employer.headers
    )

    assert result.json()[0]["surnames"] == "Lookupová"
    assert refused.status_code == 403
