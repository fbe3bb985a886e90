"""Cancel and information-requested round trips through the real broker.

The test plays matching: it publishes matching's events to the real topics with aiokafka and
reads intake's answers back from the real topics. Other tests share those topics, so this intake
runs under a consumer group of its own and only its own request ids are counted. Its requests are
created before the runtime starts and their RequestSubmitted is marked as sent: a system started
by another test in the session would otherwise let the real matching answer them first.
"""

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import select, update

from contracts import (
    Event,
    InfoProvided,
    InfoRequested,
    NumberAssigned,
    RequestCancelled,
    ReviewOpened,
)
from devstack.broker import read_to_end
from devstack.waiting import eventually
from eventing.outbox import encode_headers, event_headers
from eventing.parts import SESSIONS
from intake.api.common import SETTINGS
from intake.app import create_app
from intake.tables import outbox_messages, processed_events

pytestmark = pytest.mark.timeout(120)


class Live:
    """The running intake, a producer playing matching, and requests prepared for the tests."""

    def __init__(self, app, client, producer, bootstrap, employer_id, headers, requests) -> None:
        self.app, self.client, self.producer, self.bootstrap = app, client, producer, bootstrap
        self.employer_id, self.headers, self.requests = employer_id, headers, requests

    async def call(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return await self.client.request(method, path, headers=headers, **kwargs)

    async def publish(self, event: Event) -> None:
        await self.producer.send_and_wait(
            event.topic,
            event.model_dump_json().encode(),
            key=event.key,
            headers=encode_headers(event_headers(event)),
        )

    def decision(self, event_type, request_id: str, **fields) -> Event:
        return event_type(
            producer="matching",
            request_id=uuid.UUID(request_id),
            employer_id=self.employer_id,
            **fields,
        )

    async def status_becomes(self, request_id: str, status: str) -> dict:
        async def probe():
            body = (await self.call("GET", f"/requests/{request_id}")).json()
            return body if body["status"] == status else None

        return await eventually(probe, within=45.0)

    async def handled(self, event: Event) -> bool:
        """True once this intake's consumer recorded the event in its inbox."""
        async with SESSIONS.of(self.app)() as tx:
            return (
                await tx.scalar(
                    select(processed_events.c.event_id).where(
                        processed_events.c.consumer == SETTINGS.of(self.app).service_name,
                        processed_events.c.event_id == event.event_id,
                    )
                )
                is not None
            )

    async def published(self, event_type, request_id: str) -> list:
        """intake's events of `event_type` about `request_id` on the real topic, from its start."""
        records = await read_to_end(
            self.bootstrap, [event_type.topic], match=lambda r: r.key == request_id.encode()
        )
        return [event_type.model_validate_json(r.value) for r in records]


@pytest.fixture(scope="module")
async def live(settings, kafka_bootstrap, clock, token, samples) -> AsyncIterator[Live]:
    # A group of its own: the system's intake (if this session started one) keeps its partitions.
    app = create_app(
        settings(
            service_name=f"intake-test-{uuid.uuid4().hex[:8]}",
            kafka_bootstrap_servers=kafka_bootstrap,
            topic_partitions=3,
            consumer_max_attempts=1,
            consumer_backoff_initial_s=0.01,
            relay_poll_interval_s=0.2,
        ),
        clock=clock,
    )
    employer_id = f"0{uuid.uuid4().int % 10**9:09d}"
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://intake"
    ) as client:
        live = Live(app, client, producer, kafka_bootstrap, employer_id, token(employer_id), {})
        for name in ("info", "cancel"):
            live.requests[name] = await _submitted(live, samples)
        await _mark_sent(app, live.requests.values())
        await producer.start()
        try:
            async with app.router.lifespan_context(app):
                yield live
        finally:
            await producer.stop()


async def _submitted(live: Live, samples) -> str:
    person = {k: v for k, v in samples.person.items() if not k.startswith("document_")}
    response = await live.call(
        "POST",
        "/requests",
        json={"person": person, **samples.address, **samples.submit},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def _mark_sent(app, request_ids) -> None:
    async with SESSIONS.of(app).begin() as tx:
        await tx.execute(
            update(outbox_messages)
            .where(outbox_messages.c.key.in_(list(request_ids)))
            .values(published_at=outbox_messages.c.created_at)
        )


async def test_an_information_request_is_answered_and_info_provided_is_published(live, scans):
    request_id = live.requests["info"]
    await live.publish(
        live.decision(
            InfoRequested,
            request_id,
            missing=["document"],
            message="Please add a scan of the passport.",
        )
    )

    asked = await live.status_becomes(request_id, "information_requested")
    assert asked["outcome"]["missing"] == ["document"]
    draft_id = (await live.call("POST", f"/requests/{request_id}/amendment")).json()["id"]
    await live.call(
        "PUT", f"/drafts/{draft_id}/document", json={"type": "passport", "issuing_country": "PL"}
    )
    uploaded = await live.call("POST", f"/drafts/{draft_id}/pages", content=scans.sharp())
    submitted = await live.call(
        "POST",
        f"/drafts/{draft_id}/submit",
        json={},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )

    assert submitted.status_code == 201, submitted.text
    assert (submitted.json()["status"], submitted.json()["version"]) == ("submitted", 2)
    [provided] = await eventually(lambda: live.published(InfoProvided, request_id), within=45.0)
    assert provided.request_version == 2
    assert [str(d.document_id) for d in provided.data.documents] == [uploaded.json()["id"]]
    assert provided.data.documents[0].sha256 == uploaded.json()["sha256"]


async def test_a_request_under_review_is_cancelled_and_a_late_decision_cannot_undo_it(live):
    request_id = live.requests["cancel"]
    review = live.decision(ReviewOpened, request_id, case_id=uuid.uuid4(), reason="ambiguous")
    await live.publish(review)
    await live.publish(review)  # redelivered: the inbox keeps it to one effect

    await live.status_becomes(request_id, "under_review")
    cancelled = await live.call(
        "POST", f"/requests/{request_id}/cancel", json={"reason": "not hired"}
    )
    assert cancelled.json()["status"] == "cancelled"
    [event] = await eventually(lambda: live.published(RequestCancelled, request_id), within=45.0)
    assert event.reason == "not hired" and event.request_version == 1

    late = live.decision(NumberAssigned, request_id, ssin="90440200281", kind="new_bis")
    await live.publish(late)
    await eventually(lambda: live.handled(late), within=45.0)
    assert (await live.call("GET", f"/requests/{request_id}")).json()["status"] == "cancelled"
