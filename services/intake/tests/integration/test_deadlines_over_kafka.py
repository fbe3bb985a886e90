"""An unanswered information request is reminded, then expires, through the real broker.

The test plays matching (InfoRequested on the real topic) and moves intake's clock forward by
days instead of waiting them; intake's deadline worker runs on its own every 0.2 s.
"""

import uuid
from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import select, update

from contracts import InfoReminded, InfoRequested, RequestExpired
from devstack.broker import read_to_end
from devstack.waiting import eventually
from eventing.outbox import encode_headers, event_headers
from eventing.parts import SESSIONS
from intake.app import compose
from intake.tables import Document, outbox_messages

pytestmark = pytest.mark.timeout(150)


@pytest.fixture(scope="module")
async def live(settings, kafka_bootstrap, clock, token) -> AsyncIterator[dict]:
    intake = compose(
        settings(
            service_name=f"intake-test-{uuid.uuid4().hex[:8]}",
            kafka_bootstrap_servers=kafka_bootstrap,
            topic_partitions=3,
            relay_poll_interval_s=0.2,
            deadlines_interval_s=0.2,
            info_reminder_days=7,
            info_expiry_days=30,
            retention_days=30,
        ),
        clock=clock,
    )
    app = intake.app
    employer_id = f"0{uuid.uuid4().int % 10**9:09d}"
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://intake"
    ) as client:
        await producer.start()
        try:
            yield {
                "app": app,
                "intake": intake,
                "client": client,
                "producer": producer,
                "employer_id": employer_id,
                "headers": token(employer_id),
            }
        finally:
            await producer.stop()


async def _request_with_a_scan(live, samples, scans) -> str:
    """A submitted request holding one scan, its RequestSubmitted marked as sent (see
    test_lifecycle_over_kafka: no other matching in the session may answer it)."""
    client, headers = live["client"], live["headers"]
    draft = (await client.post("/drafts", headers=headers)).json()["id"]
    for step, body in (
        ("document", samples.document),
        ("person", samples.person),
        ("address", samples.address),
    ):
        assert (await client.put(f"/drafts/{draft}/{step}", json=body, headers=headers)).is_success
    await client.post(f"/drafts/{draft}/pages", content=scans.sharp(), headers=headers)
    sent = await client.post(
        f"/drafts/{draft}/submit",
        json=samples.submit,
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
    )
    assert sent.status_code == 201, sent.text
    request_id = sent.json()["id"]
    async with SESSIONS.of(live["app"]).begin() as tx:
        await tx.execute(
            update(outbox_messages)
            .where(outbox_messages.c.key == request_id)
            .values(published_at=outbox_messages.c.created_at)
        )
    return request_id


async def published(bootstrap, event_type, request_id: str) -> list:
    records = await read_to_end(
        bootstrap, [event_type.topic], match=lambda r: r.key == request_id.encode()
    )
    return [event_type.model_validate_json(r.value) for r in records]


async def test_an_unanswered_information_request_is_reminded_once_then_expires_into_retention(
    live, kafka_bootstrap, clock, samples, scans
):
    app, client, headers = live["app"], live["client"], live["headers"]
    request_id = await _request_with_a_scan(live, samples, scans)
    async with app.router.lifespan_context(app):
        asked = InfoRequested(
            producer="matching",
            request_id=uuid.UUID(request_id),
            employer_id=live["employer_id"],
            missing=["birth_place"],
        )
        await live["producer"].send_and_wait(
            asked.topic,
            asked.model_dump_json().encode(),
            key=asked.key,
            headers=encode_headers(event_headers(asked)),
        )

        async def status(wanted: str):
            body = (await client.get(f"/requests/{request_id}", headers=headers)).json()
            return body if body["status"] == wanted else None

        waiting = await eventually(lambda: status("information_requested"), within=45.0)
        deadline = datetime.fromisoformat(waiting["information_deadline"])
        assert 29.9 < (deadline - clock()).total_seconds() / 86400 <= 30
        assert waiting["reminded_at"] is None

        clock.advance(days=6)
        assert await live["intake"].deadlines.remind_due() == 0  # nothing is due yet

        clock.advance(days=2)
        [reminder] = await eventually(
            lambda: published(kafka_bootstrap, InfoReminded, request_id), within=45.0
        )
        assert reminder.missing == ["birth_place"] and reminder.expires_at == deadline
        assert (await status("information_requested"))["reminded_at"] is not None

        clock.advance(days=23)
        [expired] = await eventually(
            lambda: published(kafka_bootstrap, RequestExpired, request_id), within=45.0
        )
        assert expired.after_days == 30
        gone = await eventually(lambda: status("expired"), within=45.0)
        assert gone["outcome"]["code"] == "expired"
        assert len(await published(kafka_bootstrap, InfoReminded, request_id)) == 1  # only once
        cancel = await client.post(f"/requests/{request_id}/cancel", json={}, headers=headers)
        assert cancel.status_code == 409  # final

        clock.advance(days=31)
        assert await live["intake"].retention.purge_due() == 1
    async with SESSIONS.of(app)() as tx:
        scan = await tx.scalar(select(Document).where(Document.request_id == uuid.UUID(request_id)))
    assert scan.purged_at is not None
