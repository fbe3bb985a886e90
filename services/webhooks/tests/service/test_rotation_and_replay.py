"""Secrets rotate without downtime; deliveries can be sent again, one or all since a time."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError


async def test_after_a_rotation_both_secrets_sign_during_the_grace_period(
    stack, receiver, employer, number_assigned
):
    endpoint = await stack.register(employer, receiver.script("/hook"))
    rotated = await stack.http.post(
        f"/webhooks/endpoints/{endpoint['id']}/secret/rotate", headers=stack.headers(employer)
    )

    await stack.publish(number_assigned(employer))
    [received] = await receiver.wait_for(lambda r: len(r) == 1)

    new = rotated.json()
    assert rotated.status_code == 200 and new["secret"] != endpoint["secret"]
    assert len(received.headers["webhook-signature"].split(" ")) == 2
    assert Webhook(endpoint["secret"]).verify(received.body, received.headers)
    assert Webhook(new["secret"]).verify(received.body, received.headers)
    grace = datetime.fromisoformat(new["previous_secret_valid_until"]) - datetime.now(UTC)
    assert timedelta(hours=23) < grace <= timedelta(hours=24)


async def test_after_the_grace_period_only_the_new_secret_signs(
    make_stack, receiver, employer, number_assigned
):
    async with make_stack(rotation_grace_s=0) as stack:
        endpoint = await stack.register(employer, receiver.script("/hook"))
        rotated = await stack.http.post(
            f"/webhooks/endpoints/{endpoint['id']}/secret/rotate", headers=stack.headers(employer)
        )
        await stack.publish(number_assigned(employer))
        [received] = await receiver.wait_for(lambda r: len(r) == 1)

    assert len(received.headers["webhook-signature"].split(" ")) == 1
    assert Webhook(rotated.json()["secret"]).verify(received.body, received.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint["secret"]).verify(received.body, received.headers)


async def test_one_delivery_is_replayed_with_the_same_webhook_id(
    stack, receiver, employer, number_assigned
):
    endpoint = await stack.register(employer, receiver.script("/hook"))
    await stack.publish(number_assigned(employer))
    [delivery] = await stack.settled(lambda ds: ds[0].status == "delivered")

    replayed = await stack.http.post(
        f"/webhooks/endpoints/{endpoint['id']}/deliveries/{delivery.id}/replay",
        headers=stack.headers(employer),
    )
    first, again = await receiver.wait_for(lambda r: len(r) == 2)

    assert replayed.status_code == 202 and replayed.json() == {"replayed": 1}
    assert first.headers["webhook-id"] == again.headers["webhook-id"] == str(delivery.id)
    assert first.body == again.body
    assert int(again.headers["webhook-timestamp"]) >= int(first.headers["webhook-timestamp"])
    assert Webhook(endpoint["secret"]).verify(again.body, again.headers)


async def test_everything_since_a_time_is_replayed_after_an_outage(
    make_stack, receiver, employer, number_assigned
):
    async with make_stack(retry_horizon_s=0.5) as stack:
        endpoint = await stack.register(employer, receiver.script("/outage", then=503))
        old = number_assigned(employer)
        await stack.publish(old)
        await stack.settled(lambda ds: [d.status for d in ds] == ["failed"])
        since = datetime.now(UTC)
        for _ in range(3):
            await stack.publish(number_assigned(employer))
        await stack.settled(lambda ds: sorted(d.status for d in ds) == ["failed"] * 4)

        receiver.script("/outage")  # the receiver is back
        replayed = await stack.http.post(
            f"/webhooks/endpoints/{endpoint['id']}/replay",
            json={"since": since.isoformat(), "only_failed": True},
            headers=stack.headers(employer),
        )
        await stack.settled(
            lambda ds: sorted(d.status for d in ds) == ["delivered"] * 3 + ["failed"]
        )
        listed = await stack.http.get(
            f"/webhooks/endpoints/{endpoint['id']}/deliveries?status=failed",
            headers=stack.headers(employer),
        )

    assert replayed.json() == {"replayed": 3}
    delivered = [
        json.loads(r.body)["data"]["request_id"] for r in receiver.received if r.status == 200
    ]
    assert len(delivered) == 3 and str(old.request_id) not in delivered
    assert [d["request_id"] for d in listed.json()] == [str(old.request_id)]


async def test_deliveries_are_listed_per_endpoint_with_attempts_and_next_attempt(
    stack, receiver, employer, number_assigned
):
    endpoint = await stack.register(employer, receiver.script("/hook", 500, 500))
    await stack.publish(number_assigned(employer))
    await stack.settled(lambda ds: ds[0].status == "delivered")

    listed = await stack.http.get(
        f"/webhooks/endpoints/{endpoint['id']}/deliveries", headers=stack.headers(employer)
    )
    shown = await stack.http.get(
        f"/webhooks/endpoints/{endpoint['id']}", headers=stack.headers(employer)
    )

    [delivery] = listed.json()
    assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == (
        "delivered", 3, 200,
    )  # fmt: skip
    assert delivery["next_attempt_at"] is None
    assert shown.json()["deliveries"] | {"last_attempt_at": None} == {
        "pending": 0, "delivered": 1, "failed": 0, "next_attempt_at": None,
        "last_attempt_at": None, "last_status_code": 200, "last_error": None,
    }  # fmt: skip
