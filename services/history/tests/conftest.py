"""history fixtures: a migrated database per module, a token signer, event builders."""

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from uuid import UUID, uuid4

import httpx
import jwt
import pytest
from alembic.config import Config
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts import (
    Address,
    NumberAssigned,
    Person,
    RequestData,
    RequestSubmitted,
)
from devstack.databases import cloned_database
from eventing.auth import VERIFIER, TokenVerifier
from eventing.db import make_engine, make_sessions
from eventing.parts import SESSIONS, provide
from eventing.problems import install_problem_handlers
from history import api
from history.handlers import on_event, on_events

SERVICE = Path(__file__).resolve().parents[1]
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
ISSUER, AUDIENCE = "history-tests", "idpro"


def alembic_config(url: str) -> Config:
    config = Config(str(SERVICE / "alembic.ini"))
    config.cmd_opts = SimpleNamespace(x=[f"url={url}"])
    return config


@pytest.fixture(scope="module")
async def database_url(postgres_admin_url: str, service_template) -> AsyncIterator[str]:
    """A clone of the database the real migrations built (alembic upgrade head)."""
    template = service_template("history")
    async with cloned_database(postgres_admin_url, template, prefix="history_test") as url:
        yield url


@pytest.fixture(scope="module")
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(database_url, pool_size=4)
    yield make_sessions(engine)
    await engine.dispose()


@pytest.fixture
def employer() -> str:
    """A tenant of this test only: tests share a module database, never each other's rows."""
    return f"E{uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def token_for(signing_key):
    def sign(employer: str | None, *, sub: str = "requester-1", roles=("requester",)) -> str:
        now = int(time.time())
        claims = {
            "sub": sub,
            "name": sub,
            "roles": list(roles),
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + 600,
        }
        if employer is not None:
            claims["employer_id"] = employer
        return jwt.encode(claims, signing_key, algorithm="RS256")

    return sign


@pytest.fixture
async def client(sessions, signing_key) -> AsyncIterator[httpx.AsyncClient]:
    """The history API on the module database, without Kafka: given just its sessions."""
    public = (
        signing_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(api.router)
    provide(
        app,
        {
            SESSIONS: sessions,
            api.CURSOR_KEY: b"history-test-cursor-key",
            VERIFIER: TokenVerifier(public, issuer=ISSUER, audience=AUDIENCE),
        },
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://history") as http:
        yield http


def submitted(
    employer: str,
    *,
    surnames: str = "Kowalska",
    given: str = "Anna",
    requester: str = "requester-1",
    at: datetime = T0,
    request_id: UUID | None = None,
) -> RequestSubmitted:
    person = Person(surnames=surnames, given_names=given, sex="female", birth_date="1990-04-02")
    return RequestSubmitted(
        producer="intake",
        request_id=request_id or uuid4(),
        employer_id=employer,
        occurred_at=at,
        requester_id=requester,
        requester_name=requester.title(),
        data=RequestData(person=person, residence=Address(country="PL")),
        notification_email="hr@example.com",
        language="en",
    )


def assigned(
    first: RequestSubmitted, *, after: timedelta = timedelta(minutes=1), ssin: str = "90440200134"
) -> NumberAssigned:
    return NumberAssigned(
        producer="matching",
        request_id=first.request_id,
        employer_id=first.employer_id,
        occurred_at=first.occurred_at + after,
        ssin=ssin,
        kind="new_bis",
    )


async def project(sessions: async_sessionmaker[AsyncSession], *events) -> None:
    """Apply events as the consumer does: one transaction each."""
    for event in events:
        async with sessions.begin() as tx:
            await on_event(event, tx)


async def project_batch(sessions: async_sessionmaker[AsyncSession], *events) -> None:
    """Apply events as the consumer applies a batch: one transaction for all of them."""
    async with sessions.begin() as tx:
        await on_events(list(events), tx)


@pytest.fixture(scope="session")
def ev() -> SimpleNamespace:
    """Event builders and the projection, for tests (conftest is not importable as a module)."""
    return SimpleNamespace(
        submitted=submitted,
        assigned=assigned,
        project=project,
        project_batch=project_batch,
        T0=T0,
        alembic_config=alembic_config,
    )
