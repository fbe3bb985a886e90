"""The whole service as it runs (create_app): events from the real broker end at the receiver."""

import json
import time
from uuid import uuid4

import httpx
from aiokafka import AIOKafkaProducer
from standardwebhooks import Webhook

from eventing.outbox import encode_headers, event_headers
from webhooks.app import create_app


async def test_an_event_published_on_kafka_reaches_the_endpoint_signed(
    kafka_bootstrap, make_settings, admin_of, employer, number_assigned, receiver
):
    settings = make_settings(
        # A group of its own: the cross-service suite may run a `webhooks` group on this broker.
        service_name=f"webhooks-it-{uuid4().hex[:8]}",
        kafka_bootstrap_servers=kafka_bootstrap,
    )
    app = create_app(settings)
    auth = admin_of(employer)
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://w") as http,
    ):
        created = await http.post(
            "/webhooks/endpoints",
            json={"url": receiver.script("/kafka", 500), "event_kinds": ["number_assigned"]},
            headers=auth,
        )
        event = number_assigned(employer)
        await producer.start()
        try:
            await producer.send_and_wait(
                event.topic,
                event.model_dump_json().encode(),
                key=event.key,
                headers=encode_headers(event_headers(event)),
            )
        finally:
            await producer.stop()
        started = time.monotonic()
        failed, delivered = await receiver.wait_for(lambda r: len(r) == 2, within=60)
        ready = await http.get("/ready")

    assert created.status_code == 201
    assert (failed.status, delivered.status) == (500, 200)
    assert Webhook(created.json()["secret"]).verify(delivered.body, delivered.headers)
    assert json.loads(delivered.body)["data"]["request_id"] == str(event.request_id)
    assert ready.status_code == 200
    # It publishes nothing on Kafka: no relay runs (the deliverer sends the POSTs).
    assert "deliverer" in ready.text and "relay" not in ready.json()["checks"]
    assert delivered.at - started < 60
