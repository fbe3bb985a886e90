"""matching started in-process once per module on the real broker, with its own database.

Its consumer group has a unique name, so it reads every request the tests publish without taking
partitions from another matching in the same session (the cross-service system). That other one
may answer the same requests: outcome events are therefore read back by the event ids in this
instance's outbox, not only by request id.
"""

import asyncio
import json
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import jwt
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from contracts import BY_TOPIC, MATCHING_EVENTS, Event, RequestSubmitted
from contracts.events import RequestData
from contracts.values import Address, IdentityDocument, Person
from devstack.databases import cloned_database
from eventing.parts import SESSIONS
from matching.app import create_app
from matching.config import MatchingSettings
from matching.tables import outbox_messages


class Stack:
    def __init__(self, app, settings, producer: AIOKafkaProducer, seen: dict, key) -> None:
        self.app, self.producer, self.seen, self.key = app, producer, seen, key
        self.sessions = SESSIONS.of(app)
        self.group = settings.service_name
        self.bootstrap = settings.kafka_bootstrap_servers

    async def publish(self, event: Event) -> None:
        await self.producer.send_and_wait(
            event.topic, event.model_dump_json().encode(), key=event.key
        )

    async def outcomes(self, request_id, *, count: int = 1, wait_s: float = 30.0) -> list[Event]:
        """This instance's published outcome events for a request, once `count` have arrived."""
        async with asyncio.timeout(wait_s):
            while True:
                async with self.sessions() as tx:
                    ids = set(
                        (
                            await tx.scalars(
                                select(outbox_messages.c.event_id).where(
                                    outbox_messages.c.key == str(request_id)
                                )
                            )
                        ).all()
                    )
                found = [e for e in self.seen.get(str(request_id), []) if e.event_id in ids]
                if len(found) >= count:
                    return sorted(found, key=lambda e: e.occurred_at)
                await asyncio.sleep(0.1)

    def token(self, *, roles=("agent",), employer_id: str | None = None, sub="agent-1") -> dict:
        now = datetime.now(UTC)
        claims = {
            "sub": sub,
            "iss": "idpro-test",
            "aud": "idpro",
            "iat": now,
            "exp": now + timedelta(minutes=5),
            "roles": list(roles),
        }
        if employer_id:
            claims["employer_id"] = employer_id
        return {"authorization": f"Bearer {jwt.encode(claims, self.key, algorithm='RS256')}"}


@pytest.fixture(scope="module")
async def stack(postgres_admin_url, matching_template, kafka_bootstrap) -> AsyncIterator[Stack]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    async with cloned_database(postgres_admin_url, matching_template, prefix="matching_svc") as url:
        settings = MatchingSettings(
            service_name=f"matching-test-{uuid4().hex[:8]}",
            database_url=url,
            kafka_bootstrap_servers=kafka_bootstrap,
            jwt_public_key=public.decode(),
            jwt_issuer="idpro-test",
            topic_partitions=3,
            relay_poll_interval_s=0.2,
            consumer_backoff_initial_s=0.05,
        )
        app = create_app(settings)
        seen: dict[str, list[Event]] = {}
        collector = asyncio.create_task(_collect(kafka_bootstrap, seen))
        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
        try:
            async with app.router.lifespan_context(app):
                await producer.start()
                yield Stack(app, settings, producer, seen, key)
                await producer.stop()
        finally:
            collector.cancel()
            await asyncio.gather(collector, return_exceptions=True)


async def _collect(bootstrap: str, seen: dict[str, list[Event]]) -> None:
    """Read every matching.* event from the start into `seen`, by request id."""
    consumer = AIOKafkaConsumer(
        *(e.topic for e in MATCHING_EVENTS),
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        metadata_max_age_ms=2000,
    )
    await consumer.start()
    try:
        async for record in consumer:
            event = BY_TOPIC[record.topic].model_validate(json.loads(record.value))
            seen.setdefault(str(event.request_id), []).append(event)
    finally:
        await consumer.stop()


def _syllables(count: int) -> str:
    return "".join(
        random.choice("bcdfghjklmnprstvwz") + random.choice("aeiou") for _ in range(count)
    ).title()


def unique_surname() -> str:
    """A surname nobody else in the session carries: tests must not meet each other's people."""
    # Syllables of random letters, not one fixed prefix: surnames that all began "Test" shared
    # their sound keys, so matching's sound-alike blocks made every test person a candidate of
    # every other one.
    return _syllables(5)


def own_home() -> Address:
    """A residence nobody else in the session has (street, number and postal code drawn)."""
    return Address(
        street=f"ul. {_syllables(3)}",
        number=str(random.randint(1, 999)),
        postal_code=f"{random.randint(10, 99)}-{random.randint(100, 999)}",
        city="Gdańsk",
        country="PL",
    )


def request_data(
    *,
    surnames: str,
    given_names: str | None = None,
    sex: str = "female",
    birth_date: str | None = "1987-03-14",
    birth_place: str | None = "Gdańsk",
    document: str | None = None,
    claimed_ssin: str | None = None,
    residence: str = "PL",
) -> RequestData:
    """A request about a person of the test's own: given name and home are drawn per person.

    They were "Anna" in Gdańsk for everyone, so a test person born a digit or a year from
    another test's (dates are random) was that person's look-alike and went to review instead
    of getting a number. A test that means two requests to be one person passes the names.
    """
    doc = (
        IdentityDocument(type="passport", number=document, issuing_country="PL")
        if document
        else None
    )
    return RequestData(
        person=Person(
            surnames=surnames,
            given_names=given_names or _syllables(3),
            sex=sex,
            birth_date=birth_date,
            birth_place=birth_place,
            birth_country="PL",
            nationality="PL",
            document=doc,
        ),
        residence=own_home().model_copy(update={"country": residence}),
        claimed_ssin=claimed_ssin,
    )


def submitted(data: RequestData, *, employer_id: str = "0123456789") -> RequestSubmitted:
    return RequestSubmitted(
        producer="intake",
        request_id=uuid4(),
        employer_id=employer_id,
        requester_id="hr-1",
        notification_email="hr@employer.example",
        language="en",
        data=data,
    )


@pytest.fixture
def make():
    """Builders for requests: tests cannot import this conftest."""
    from types import SimpleNamespace

    return SimpleNamespace(surname=unique_surname, data=request_data, submitted=submitted)
