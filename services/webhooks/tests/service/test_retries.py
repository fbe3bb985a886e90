"""A receiver that fails is retried with backoff until it recovers, or until the horizon; one
endpoint's trouble never delays another's."""

import asyncio
import json
import time

from webhooks import repository


async def test_a_receiver_that_fails_then_recovers_gets_it_with_the_same_webhook_id(
    stack, receiver, employer, number_assigned
):
    endpoint = await stack.register(employer, receiver.script("/flaky", 503, 500, 502))

    await stack.publish(number_assigned(employer))
    received = await receiver.wait_for(lambda r: [x.status for x in r] == [503, 500, 502, 200])

    assert len({r.headers["webhook-id"] for r in received}) == 1
    gaps = [b.at - a.at for a, b in zip(received, received[1:], strict=False)]
    assert all(gap >= 0.02 for gap in gaps)  # backoff, not a hot loop
    [delivery] = await stack.settled(lambda ds: ds[0].status == "delivered")
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 4, 200)
    shown = (
        await stack.http.get(
            f"/webhooks/endpoints/{endpoint['id']}/deliveries/{delivery.id}",
            headers=stack.headers(employer),
        )
    ).json()
    assert [a["status_code"] for a in shown["history"]] == [503, 500, 502, 200]
    assert [a["outcome"] for a in shown["history"]] == ["retry"] * 3 + ["delivered"]
    figures = await stack.http.get(
        f"/webhooks/endpoints/{endpoint['id']}", headers=stack.headers(employer)
    )
    assert figures.json()["consecutive_failures"] == 0  # a success ends the probing


async def test_a_receiver_that_is_down_is_retried_until_it_listens(
    stack, employer, number_assigned
):
    from devstack.receiver import WebhookReceiver

    later = WebhookReceiver()  # its port is chosen, nobody listens there yet
    await stack.register(employer, later.url("/hook"))
    await stack.publish(number_assigned(employer))

    async def refused_twice() -> bool:
        [delivery] = await stack.deliveries()
        return delivery.attempts >= 2

    await until(refused_twice)
    async with later:
        await later.wait_for(lambda r: len(r) == 1)
        [delivery] = await stack.settled(lambda ds: ds[0].status == "delivered")
    attempts = await stack.attempts(delivery.id)
    assert delivery.status == "delivered"
    assert {a.error_class for a in attempts[:-1]} == {"ConnectError"}


async def test_past_the_horizon_the_delivery_has_failed_and_says_so(
    make_stack, receiver, employer, number_assigned
):
    async with make_stack(retry_horizon_s=1.0) as stack:
        endpoint = await stack.register(employer, receiver.script("/down", then=500))
        await stack.publish(number_assigned(employer))

        async def failed() -> bool:
            return [d.status for d in await stack.deliveries()] == ["failed"]

        await until(failed)
        shown = (
            await stack.http.get(
                f"/webhooks/endpoints/{endpoint['id']}", headers=stack.headers(employer)
            )
        ).json()
    assert shown["deliveries"]["failed"] == 1 and shown["deliveries"]["pending"] == 0
    assert shown["deliveries"]["last_status_code"] == 500
    assert shown["deliveries"]["next_attempt_at"] is None
    assert len(receiver.at("/down")) >= 3


async def test_a_retry_after_from_the_receiver_is_honoured(
    make_stack, receiver, employer, number_assigned
):
    async with make_stack(retry_max_s=5.0) as stack:
        await stack.register(employer, receiver.script("/busy", 429, headers={"Retry-After": "1"}))
        await stack.publish(number_assigned(employer))
        first, second = await receiver.wait_for(lambda r: len(r) == 2)
    assert second.at - first.at >= 0.95


async def test_410_gone_stops_deliveries_to_that_endpoint(
    stack, receiver, employer, number_assigned
):
    endpoint = await stack.register(employer, receiver.script("/gone", then=410))

    await stack.publish(number_assigned(employer))
    shown = await until_json(
        stack, f"/webhooks/endpoints/{endpoint['id']}", employer, lambda e: not e["enabled"]
    )
    await stack.publish(number_assigned(employer))

    assert shown["disabled_reason"] == "gone"
    assert shown["deliveries"]["failed"] == 1
    assert len(await stack.deliveries()) == 1  # the disabled endpoint records nothing new
    assert len(receiver.at("/gone")) == 1


async def test_a_slow_endpoint_does_not_delay_another(
    make_stack, receiver, employer, number_assigned
):
    async with make_stack(request_timeout_s=3.0, lease_s=10.0, per_endpoint_concurrency=2) as stack:
        await stack.register("0111111111", receiver.script("/slow", then=200, delay_s=2.5))
        await stack.register(employer, receiver.script("/fast"))
        for _ in range(10):  # five rounds of the slow endpoint's two slots
            await stack.publish(number_assigned("0111111111"))
        await receiver.wait_for(lambda r: len(r) >= 2)  # both slow slots are held now

        published = time.monotonic()
        for _ in range(5):
            await stack.publish(number_assigned(employer))
        fast = await receiver.wait_for(lambda r: len([x for x in r if x.path == "/fast"]) == 5)

        latest = max(r.at for r in fast if r.path == "/fast")
        assert latest - published < 1.0
        assert len(receiver.at("/slow")) == 2  # still only its two slots, held by the slow replies


async def test_a_failing_endpoint_is_probed_one_delivery_at_a_time(
    make_stack, receiver, employer, number_assigned
):
    url = receiver.script("/failing", then=500, delay_s=0.3)
    async with make_stack() as stack:
        await stack.register(employer, url)
        await stack.deliverer.stop()  # a backlog builds up while nobody sends
        for _ in range(6):
            await stack.publish(number_assigned(employer))

    async with make_stack(per_endpoint_concurrency=4) as stack:
        received = await receiver.wait_for(lambda r: len(r) >= 12, within=20)
        [endpoint] = (
            await stack.http.get("/webhooks/endpoints", headers=stack.headers(employer))
        ).json()

    assert max(r.concurrent for r in received[:4]) > 1  # healthy so far: its four slots
    assert {r.concurrent for r in received[4:]} == {1}  # failing: one probe at a time
    assert endpoint["consecutive_failures"] >= 4


async def test_a_backlog_behind_an_endpoint_that_stays_down_fails_at_the_horizon(
    make_stack, receiver, employer, number_assigned
):
    async with make_stack(retry_horizon_s=1.5, retry_initial_s=0.5, retry_max_s=5.0) as stack:
        await stack.register(employer, receiver.script("/down", then=503))
        for _ in range(8):
            await stack.publish(number_assigned(employer))
        deliveries = await stack.settled(lambda ds: {d.status for d in ds} == {"failed"}, within=15)

    assert len(deliveries) == 8
    assert len(receiver.at("/down")) < 8 + 4  # the endpoint's pause spared most of the backlog
    assert "webhooks.horizon_passed" in {d.last_error for d in deliveries}


async def test_a_receiver_slower_than_the_timeout_is_cut_off_and_retried(
    make_stack, receiver, employer, number_assigned
):
    async with make_stack(request_timeout_s=0.3) as stack:
        await stack.register(employer, receiver.script("/stuck", then=200, delay_s=2))
        await stack.publish(number_assigned(employer))
        [delivery] = await stack.settled(lambda ds: ds[0].attempts >= 2)
        await until(lambda: has_attempts(stack, delivery.id))
        attempts = await stack.attempts(delivery.id)
    assert attempts[0].error_class == "Timeout"
    assert attempts[0].duration_ms < 1000


async def test_a_delivery_claimed_by_a_worker_that_died_is_sent_when_its_lease_ends(
    make_stack, receiver, employer, number_assigned
):
    async with make_stack() as stack:
        await stack.register(employer, receiver.script("/hook"))
        await stack.deliverer.stop()  # no worker: this test plays the one that dies
        await stack.publish(number_assigned(employer))
        async with stack.sessions.begin() as tx:
            [claimed] = await repository.claim_due(tx, slots=10, per_endpoint=4, lease_s=1.0)
        # ... and the worker died here, between its claim and its POST.

    async with make_stack() as survivor:
        [received] = await receiver.wait_for(lambda r: len(r) == 1, within=10)
        [delivery] = await survivor.settled(lambda ds: ds[0].status == "delivered")
    assert received.headers["webhook-id"] == str(claimed.id)
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert json.loads(received.body)["data"]["status"] == "number_assigned"


async def has_attempts(stack, delivery_id) -> bool:
    return bool(await stack.attempts(delivery_id))


async def until(check, *, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not await check():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def until_json(stack, path: str, employer: str, check, *, within: float = 10.0) -> dict:
    deadline = time.monotonic() + within
    while True:
        body = (await stack.http.get(path, headers=stack.headers(employer))).json()
        if check(body):
            return body
        assert time.monotonic() < deadline, f"condition not met in time: {body}"
        await asyncio.sleep(0.05)
