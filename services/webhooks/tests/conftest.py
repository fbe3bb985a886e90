"""webhooks against a real PostgreSQL (migrated by Alembic) and a real HTTP receiver on 127.0.0.1.

Events enter through eventing's EventConsumer.process (inbox and all) in the service tests; the
broker path is covered in tests/integration. The deliverer runs its real loop (LISTEN/NOTIFY).
"""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from itertools import count
from typing import Any
from uuid import UUID, uuid4

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts import Event, NumberAssigned
from devstack.databases import cloned_database
from devstack.receiver import WebhookReceiver
from eventing.auth import VERIFIER, TokenVerifier
from eventing.consumer import Delivery as KafkaDelivery
from eventing.consumer import EventConsumer, Outcome, RetryPolicy
from eventing.db import make_engine, make_sessions
from eventing.inbox import Inbox
from eventing.parts import SESSIONS, provide
from eventing.problems import install_problem_handlers
from webhooks import api
from webhooks.config import WebhooksSettings
from webhooks.deliverer import Deliverer
from webhooks.handlers import HANDLERS
from webhooks.signing import SecretBox
from webhooks.tables import Delivery, DeliveryAttempt, processed_events

ISSUER, AUDIENCE = "webhooks-tests", "idpro"
# Seconds, not hours: the shape (exponential, jitter, cap, horizon) is the production one.
FAST = {
    "retry_initial_s": 0.05,
    "retry_max_s": 0.2,
    "retry_horizon_s": 30.0,
    "request_timeout_s": 1.0,
    "lease_s": 3.0,
    "relay_poll_interval_s": 0.2,
}


@pytest.fixture(scope="session")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def public_pem(signing_key) -> str:
    return (
        signing_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def token(signing_key, employer: str | None, *, roles=("admin",), sub: str = "admin-1") -> str:
    now = int(time.time())
    claims = {"sub": sub, "roles": list(roles), "iss": ISSUER, "aud": AUDIENCE, "iat": now}
    claims |= {"exp": now + 600} | ({"employer_id": employer} if employer else {})
    return jwt.encode(claims, signing_key, algorithm="RS256")


@pytest.fixture
async def receiver() -> AsyncIterator[WebhookReceiver]:
    async with WebhookReceiver() as running:
        yield running


@dataclass
class Stack:
    """The service's edges: events in, the admin API, the deliverer, the database read back."""

    sessions: async_sessionmaker[AsyncSession]
    settings: WebhooksSettings
    consumer: EventConsumer
    deliverer: Deliverer
    http: httpx.AsyncClient
    signing_key: Any
    offsets: count = field(default_factory=count)

    def headers(self, employer: str, **kwargs: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {token(self.signing_key, employer, **kwargs)}"}

    async def register(self, employer: str, url: str, kinds: list[str] | None = None) -> dict:
        """A new endpoint of `employer` (through the API); its JSON, secret included."""
        body = {"url": url, "event_kinds": kinds or ["number_assigned"]}
        response = await self.http.post(
            "/webhooks/endpoints", json=body, headers=self.headers(employer)
        )
        assert response.status_code == 201, response.text
        return response.json()

    async def publish(self, event: Event) -> Outcome:
        """Deliver `event` as Kafka would: through the consumer, its inbox and its transaction."""
        delivery = KafkaDelivery(
            event.topic, 0, next(self.offsets), event.key, event.model_dump_json().encode()
        )
        return await self.consumer.process(delivery)

    async def deliveries(self, *conditions) -> list[Delivery]:
        async with self.sessions() as tx:
            return list(await tx.scalars(select(Delivery).where(*conditions)))

    async def settled(
        self, check: Callable[[list[Delivery]], bool], *, within: float = 30.0
    ) -> list[Delivery]:
        """Every delivery, once `check(deliveries)` holds; fail after `within` seconds."""
        deadline = time.monotonic() + within
        while not check(found := await self.deliveries()):
            assert time.monotonic() < deadline, f"not settled: {[d.status for d in found]}"
            await asyncio.sleep(0.05)
        return found

    async def attempts(self, delivery_id: UUID) -> list[DeliveryAttempt]:
        async with self.sessions() as tx:
            return list(
                await tx.scalars(
                    select(DeliveryAttempt)
                    .where(DeliveryAttempt.delivery_id == delivery_id)
                    .order_by(DeliveryAttempt.id)
                )
            )


@pytest.fixture
async def database_url(postgres_admin_url: str, service_template) -> AsyncIterator[str]:
    template = service_template("webhooks")
    async with cloned_database(postgres_admin_url, template, prefix="webhooks_test") as url:
        yield url


@pytest.fixture
def make_settings(database_url: str, public_pem: str) -> Callable[..., WebhooksSettings]:
    """Settings for this test's database and token signer: development, fast retries."""

    def build(**overrides: Any) -> WebhooksSettings:
        values = {"development": True, "jwt_issuer": ISSUER, "jwt_audience": AUDIENCE, **FAST}
        return WebhooksSettings(
            database_url=database_url, jwt_public_key=public_pem, **(values | overrides)
        )

    return build


@pytest.fixture
def admin_of(signing_key) -> Callable[[str], dict[str, str]]:
    """The headers of an admin of `employer`."""
    return lambda employer: {"Authorization": f"Bearer {token(signing_key, employer)}"}


@pytest.fixture
def make_stack(make_settings, database_url: str, signing_key, public_pem: str):
    """`async with make_stack(**settings) as stack`: the service on this test's database."""

    @asynccontextmanager
    async def build(**overrides: Any) -> AsyncIterator[Stack]:
        settings = make_settings(**overrides)
        engine = make_engine(database_url, pool_size=10)
        sessions = make_sessions(engine)
        box = SecretBox(settings.fernet_keys())
        consumer = EventConsumer(
            group="webhooks",
            handlers=HANDLERS,
            sessions=sessions,
            inbox=Inbox(processed_events, consumer="webhooks"),
            producer=None,  # nothing here is dead-lettered; a test that tried would fail loudly
            policy=RetryPolicy(max_attempts=1, backoff_initial_s=0.01),
        )
        deliverer = Deliverer(
            sessions=sessions, database_url=engine.url, settings=settings, box=box
        )
        app = FastAPI()
        install_problem_handlers(app)
        app.include_router(api.router)
        verifier = TokenVerifier(public_pem, issuer=ISSUER, audience=AUDIENCE)
        services = api.Services(box=box, settings=settings)
        provide(app, {SESSIONS: sessions, VERIFIER: verifier, api.SERVICES: services})
        transport = httpx.ASGITransport(app=app)
        await deliverer.start()
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://webhooks") as http:
                yield Stack(sessions, settings, consumer, deliverer, http, signing_key)
        finally:
            await deliverer.stop()
            await engine.dispose()

    return build


@pytest.fixture
async def stack(make_stack) -> AsyncIterator[Stack]:
    async with make_stack() as running:
        yield running


@pytest.fixture
def employer() -> str:
    return f"0{uuid4().int % 10**9:09d}"


def assigned(employer: str, **fields: Any) -> NumberAssigned:
    """A new BIS number for a fresh request of `employer`."""
    values = {"ssin": "90442800295", "kind": "new_bis"} | fields
    return NumberAssigned(producer="matching", request_id=uuid4(), employer_id=employer, **values)


@pytest.fixture
def number_assigned() -> Callable[..., NumberAssigned]:
    return assigned
