"""The notifier against a real PostgreSQL (migrated by Alembic) and a real SMTP server (the sink).

Kafka is left out on purpose: events enter through eventing's EventConsumer.process (inbox and
all), and the Dispatcher is driven one `dispatch_one()` at a time, so every test decides when mail
goes out and the suite stays fast.
"""

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from itertools import count
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from contracts import Event, NotificationFailed, NotificationSent, RequestSubmitted
from contracts.events import RequestData
from contracts.values import Address, Person
from devstack.databases import cloned_database
from devstack.smtp import SmtpSink
from eventing.consumer import Delivery, EventConsumer, Outcome, RetryPolicy
from eventing.db import make_engine, make_sessions
from eventing.inbox import Inbox
from eventing.outbox import Outbox
from notifier.config import NotifierSettings
from notifier.dispatcher import Dispatcher
from notifier.handlers import HANDLERS
from notifier.tables import DeliveryAttempt, Notification, outbox_messages, processed_events

# Short delays keep the suite fast; the shape (exponential, jitter, a cap) is the production one.
FAST_RETRIES = {
    "retry_initial_s": 0.05,
    "retry_max_s": 0.2,
    "smtp_pause_initial_s": 0.05,
    "smtp_pause_max_s": 0.2,
    "smtp_timeout_s": 2.0,
    "claim_lease_s": 2.5,
}


@pytest.fixture
async def database_url(postgres_admin_url: str, service_template) -> AsyncIterator[str]:
    template = service_template("notifier")
    async with cloned_database(postgres_admin_url, template, prefix="notifier_test") as url:
        yield url


@pytest.fixture
def sink(smtp_sink) -> Iterator[SmtpSink]:
    """The session's sink, listening, empty and without pending faults."""
    if not isinstance(smtp_sink, SmtpSink):
        pytest.skip("an external SMTP server is configured: its mailbox cannot be read")
    smtp_sink.start()
    smtp_sink.clear()
    yield smtp_sink
    smtp_sink.start()
    smtp_sink.clear()


@dataclass
class Plumbed:
    """What the Dispatcher and the admin API use of eventing's Database."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    outbox: Outbox = field(default_factory=lambda: Outbox(outbox_messages, service="notifier"))


@dataclass
class Stack:
    """The notifier's edges: events in, dispatcher runs, database and sink read back."""

    database: Plumbed
    sink: SmtpSink
    database_url: str
    consumer: EventConsumer
    offsets: count = field(default_factory=count)

    def settings(self, **overrides: Any) -> NotifierSettings:
        values = {
            "database_url": self.database_url,
            "jwt_public_key": "not used here",
            "smtp_host": self.sink.host,
            "smtp_port": self.sink.port,
            **FAST_RETRIES,
        }
        return NotifierSettings(**(values | overrides))

    def dispatcher(self, **overrides: Any) -> Dispatcher:
        return Dispatcher(self.database, self.settings(**overrides))

    async def publish(self, event: Event) -> Outcome:
        """Deliver `event` as Kafka would: through the consumer, its inbox and its transaction."""
        delivery = Delivery(
            event.topic, 0, next(self.offsets), event.key, event.model_dump_json().encode()
        )
        return await self.consumer.process(delivery)

    async def submit(self, **fields: Any) -> RequestSubmitted:
        """A new request (see `submitted`), published; its RequestSubmitted is returned."""
        event = submitted(**fields)
        assert await self.publish(event) is Outcome.DONE
        return event

    async def deliver_all(self, dispatcher: Dispatcher | None = None, *, workers: int = 1) -> None:
        """Run `workers` dispatch loops until no notification is pending (10 s at most)."""
        dispatcher = dispatcher or self.dispatcher()

        async def loop() -> None:
            while await self.count(Notification.status.in_(("pending", "sending"))):
                if not await dispatcher.dispatch_one():
                    await asyncio.sleep(0.01)

        try:
            async with asyncio.timeout(10):
                await asyncio.gather(*(loop() for _ in range(workers)))
        finally:
            await dispatcher.close_connections()

    async def count(self, *conditions) -> int:
        async with self.database.sessions() as tx:
            query = select(func.count()).select_from(Notification).where(*conditions)
            return await tx.scalar(query)

    async def notifications(self) -> list[Notification]:
        async with self.database.sessions() as tx:
            return list(await tx.scalars(select(Notification).order_by(Notification.created_at)))

    async def notification(self, about: Event) -> Notification:
        async with self.database.sessions() as tx:
            return await tx.scalar(
                select(Notification).where(Notification.about_event_id == about.event_id)
            )

    async def attempts(self, about: Event | None = None) -> list[DeliveryAttempt]:
        """The delivery attempts of the notification about `about` (of all, when None)."""
        query = select(DeliveryAttempt).join(Notification).order_by(DeliveryAttempt.id)
        if about is not None:
            query = query.where(Notification.about_event_id == about.event_id)
        async with self.database.sessions() as tx:
            return list(await tx.scalars(query))

    async def staged(self, event_type: type[NotificationSent | NotificationFailed]) -> list[Any]:
        """The events of `event_type` waiting in the outbox, parsed."""
        async with self.database.sessions() as tx:
            payloads = await tx.scalars(
                select(outbox_messages.c.payload)
                .where(outbox_messages.c.topic == event_type.topic)
                .order_by(outbox_messages.c.id)
            )
            return [event_type.model_validate(p) for p in payloads]


@pytest.fixture
async def stack(database_url: str, sink: SmtpSink) -> AsyncIterator[Stack]:
    engine = make_engine(database_url, pool_size=10)
    sessions = make_sessions(engine)
    # No producer: nothing here is dead-lettered, and a test that tried would fail loudly.
    consumer = EventConsumer(
        group="notifier",
        handlers=HANDLERS,
        sessions=sessions,
        inbox=Inbox(processed_events, consumer="notifier"),
        producer=None,
        policy=RetryPolicy(max_attempts=1, backoff_initial_s=0.01),
    )
    try:
        yield Stack(Plumbed(engine, sessions), sink, database_url, consumer)
    finally:
        await engine.dispose()


def submitted(
    *,
    language: str = "en",
    employer_id: str = "0123456789",
    email: str | None = None,
    surnames: str = "Kowalska",
    given_names: str | None = "Anna",
) -> RequestSubmitted:
    """A request for the worker Anna Kowalska; its own address unless `email` is given."""
    request_id = uuid4()
    email = email or f"hr+{request_id.hex[:8]}@employer.example"
    return RequestSubmitted(
        producer="intake",
        request_id=request_id,
        employer_id=employer_id,
        requester_id="hr-1",
        notification_email=email,
        language=language,
        data=RequestData(
            person=Person(
                surnames=surnames,
                given_names=given_names,
                sex="female",
                birth_date="1990-07-28",
                nationality="PL",
            ),
            residence=Address(city="Kraków", country="PL"),
        ),
    )


def follow_up(request: RequestSubmitted, event_type: type[Event], **fields: Any) -> Event:
    """A later event about the same request, from the service that owns `event_type`."""
    producer = event_type.topic.split(".", 1)[0]
    return event_type(
        producer=producer,
        request_id=request.request_id,
        employer_id=request.employer_id,
        correlation_id=request.event_id,
        **fields,
    )


@pytest.fixture
def make_follow_up():
    """`follow_up(request, EventType, **fields)`: tests cannot import this conftest."""
    return follow_up


@pytest.fixture
def make_submitted():
    """`submitted(**fields)`: a RequestSubmitted that is not published yet."""
    return submitted
