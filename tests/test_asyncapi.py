"""Each service's AsyncAPI document (FastStream's generation, served beside /docs) against the
contracts: the topics it consumes are its handlers', the ones it publishes are its own, and every
message's schema is the contract's."""

import httpx
import pytest

from contracts import CATALOGUE
from eventing.topology import SUBSCRIPTIONS

CONSUMES = {service: set(events) for service, events in SUBSCRIPTIONS.items()}
BY_NAME = {event.__name__: event for event in CATALOGUE}
REF = "#/components/schemas/{model}"


async def asyncapi(system, service: str) -> dict:
    async with httpx.AsyncClient(base_url=system.url(service), timeout=10) as client:
        page = await client.get("/asyncapi")
        assert page.status_code == 200 and "asyncapi" in page.text.lower()
        response = await client.get("/asyncapi.json")
    assert response.status_code == 200
    return response.json()


def resolve(doc: dict, ref: str) -> dict:
    node = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def operations(doc: dict, action: str) -> dict[str, dict]:
    """Topic → the schema of its message, for the operations of one action."""
    found = {}
    for operation in doc["operations"].values():
        if operation["action"] != action:
            continue
        channel = resolve(doc, operation["channel"]["$ref"])
        (message_ref,) = operation["messages"]
        message = resolve(doc, resolve(doc, message_ref["$ref"])["$ref"])
        found[channel["address"]] = message["payload"]
    return found


@pytest.mark.parametrize("service", sorted(CONSUMES))
async def test_the_document_of_each_service_matches_the_contracts(system, service):
    doc = await asyncapi(system, service)
    assert doc["asyncapi"].startswith("3.")

    received = operations(doc, "receive")
    sent = operations(doc, "send")
    assert set(received) == {event.topic for event in CONSUMES[service]}
    assert set(sent) == {e.topic for e in CATALOGUE if e.topic.startswith(f"{service}.")}

    for topic, payload in {**received, **sent}.items():
        (event,) = (e for e in CATALOGUE if e.topic == topic)
        schema = resolve(doc, payload["$ref"]) if "$ref" in payload else payload
        contract = event.model_json_schema(ref_template=REF)
        assert set(schema["properties"]) == set(contract["properties"]), topic
        assert set(schema.get("required", [])) == set(contract.get("required", [])), topic
        for name, nested in contract.get("$defs", {}).items():
            assert set(doc["components"]["schemas"][name].get("properties", {})) == set(
                nested.get("properties", {})
            ), (topic, name)


async def test_every_event_is_published_by_one_service_and_every_consumed_one_by_some(system):
    docs = {service: await asyncapi(system, service) for service in CONSUMES}
    publishers: dict[str, list[str]] = {}
    for service, doc in docs.items():
        for topic in operations(doc, "send"):
            publishers.setdefault(topic, []).append(service)
    assert {e.topic for e in CATALOGUE} == set(publishers)
    assert all(len(who) == 1 for who in publishers.values()), publishers
    consumed = {topic for doc in docs.values() for topic in operations(doc, "receive")}
    assert consumed <= set(publishers)
