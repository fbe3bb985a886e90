"""Fixtures for the plumbing tests: JSON logs as in the services, a throwaway database per test."""

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from eventing.logs import configure_logging
from eventing.relay import Relay, make_producer

# Test modules import their helpers from eventing_kit.py; importlib import mode adds no path.
sys.path.insert(0, str(Path(__file__).parent))

from eventing_kit import PlumbingDb, close_plumbing_db, open_plumbing_db  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _json_logs():
    """Log as the services do, so a leak through the real pipeline would show; restore after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure_logging("eventing-tests", "INFO")
    yield
    root.handlers[:], root.level = handlers, level


@pytest.fixture
async def db(postgres_admin_url: str, request: pytest.FixtureRequest) -> AsyncIterator[PlumbingDb]:
    """A fresh database for one test: a relay publishes every unpublished row it can see."""
    plumbing = await open_plumbing_db(postgres_admin_url, request.node.name[:24])
    yield plumbing
    await close_plumbing_db(plumbing, postgres_admin_url)


@pytest.fixture(scope="module")
async def producer(kafka_bootstrap: str) -> AsyncIterator:
    producer = make_producer(kafka_bootstrap, client_id="eventing-tests-relay")
    await producer.start()
    yield producer
    await producer.stop()


@pytest.fixture
async def relays() -> AsyncIterator[list[Relay]]:
    """Relays a test started; stopped after it, whatever happened."""
    started: list[Relay] = []
    yield started
    for relay in started:
        # Bounded: a stop that hangs should fail here, naming the relay, not at the suite timeout.
        await asyncio.wait_for(relay.stop(), timeout=10)
