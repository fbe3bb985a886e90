"""A registered endpoint receives each outcome it asked for, signed as Standard Webhooks says."""

import base64
import hashlib
import hmac
import json
import time

from standardwebhooks import Webhook

from contracts import InfoRequested, RequestRejected, ReviewOpened


def signed_by_hand(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The specification's own recipe, without the library: v1,base64(HMAC-SHA256(id.ts.body))."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    offered = [s.split(",", 1)[1] for s in headers["webhook-signature"].split(" ")]
    return any(hmac.compare_digest(expected, candidate) for candidate in offered)


async def test_a_number_assigned_arrives_signed_and_verifies_with_the_library_and_by_hand(
    stack, receiver, employer, number_assigned
):
    endpoint = await stack.register(employer, receiver.script("/hook"))
    event = number_assigned(employer)

    await stack.publish(event)
    [received] = await receiver.wait_for(lambda r: len(r) == 1)

    assert Webhook(endpoint["secret"]).verify(received.body, received.headers) is not None
    assert signed_by_hand(endpoint["secret"], received.headers, received.body)
    assert abs(int(received.headers["webhook-timestamp"]) - time.time()) < 60
    assert received.headers["content-type"] == "application/json"
    assert json.loads(received.body) == {
        "type": "request.number_assigned",
        "timestamp": event.occurred_at.isoformat(),
        "data": {
            "request_id": str(event.request_id),
            "status": "number_assigned",
            "request_version": 1,
            "ssin": event.ssin,
            "ssin_kind": "new_bis",
        },
    }


async def test_a_tampered_body_or_another_secret_does_not_verify(
    stack, receiver, employer, number_assigned
):
    endpoint = await stack.register(employer, receiver.script("/hook"))
    other = await stack.register(employer, receiver.script("/other"), kinds=["rejected"])
    await stack.publish(number_assigned(employer))
    [received] = await receiver.wait_for(lambda r: len(r) == 1)

    tampered = received.body.replace(b"new_bis", b"existing_bis")

    assert not signed_by_hand(endpoint["secret"], received.headers, tampered)
    assert not signed_by_hand(other["secret"], received.headers, received.body)


async def test_each_endpoint_gets_only_the_kinds_it_asked_for(
    stack, receiver, employer, number_assigned
):
    await stack.register(employer, receiver.script("/numbers"), kinds=["number_assigned"])
    await stack.register(
        employer, receiver.script("/research"), kinds=["under_review", "information_requested"]
    )
    first = number_assigned(employer)
    review = ReviewOpened(
        producer="matching", request_id=first.request_id, employer_id=employer,
        case_id=first.event_id, reason="ambiguous_candidates",
    )  # fmt: skip

    await stack.publish(first)
    await stack.publish(review)
    received = await receiver.wait_for(lambda r: len(r) == 2)

    types = {(r.path, json.loads(r.body)["type"]) for r in received}
    assert types == {("/numbers", "request.number_assigned"), ("/research", "request.under_review")}


async def test_free_texts_that_may_name_the_worker_never_leave(stack, receiver, employer):
    await stack.register(
        employer, receiver.script("/hook"), kinds=["information_requested", "rejected"]
    )
    asked = InfoRequested(
        producer="matching", request_id=employer_request(), employer_id=employer,
        missing=["birth_place"], message="Please send Anna Kowalska's passport.",
    )  # fmt: skip
    rejected = RequestRejected(
        producer="matching", request_id=employer_request(), employer_id=employer,
        reason_code="document_unreadable", reason="Kowalska's scan is blurred",
    )  # fmt: skip

    await stack.publish(asked)
    await stack.publish(rejected)
    received = await receiver.wait_for(lambda r: len(r) == 2)

    bodies = {json.loads(r.body)["type"]: json.loads(r.body)["data"] for r in received}
    assert bodies["request.information_requested"]["missing"] == ["birth_place"]
    assert bodies["request.rejected"]["reason_code"] == "document_unreadable"
    assert all(b"Kowalska" not in r.body for r in received)


async def test_a_replayed_event_is_delivered_once(stack, receiver, employer, number_assigned):
    await stack.register(employer, receiver.script("/hook"))
    event = number_assigned(employer)

    await stack.publish(event)
    await stack.publish(event)
    await receiver.wait_for(lambda r: len(r) == 1)

    assert len(await stack.deliveries()) == 1


async def test_an_endpoint_of_another_employer_receives_nothing(
    stack, receiver, employer, number_assigned
):
    await stack.register("0999999999", receiver.script("/theirs"))
    await stack.register(employer, receiver.script("/mine"))

    await stack.publish(number_assigned(employer))
    await receiver.wait_for(lambda r: len(r) == 1)

    assert [r.path for r in receiver.received] == ["/mine"]


def employer_request():
    import uuid

    return uuid.uuid4()
