"""Session fixtures for the real infrastructure: environment first, then Docker, then embedded."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from devstack._runtime import docker_answers, run_async
from devstack.broker import Broker
from devstack.databases import create_fresh_database, drop_database, with_database
from devstack.postgres import DISPOSABLE, EmbeddedPostgres
from devstack.smtp import SmtpSink
from devstack.system import migrated_template

log = logging.getLogger(__name__)

POSTGRES_IMAGE = "postgres:18"
KAFKA_IMAGE = "confluentinc/cp-kafka:7.6.0"


@dataclass(frozen=True)
class ExternalSmtp:
    """The server named by IDPRO_SMTP_HOST/PORT: sending works, its mailbox is not readable."""

    host: str
    port: int
    mailbox: None = None


@pytest.fixture(scope="session")
def _docker_engine() -> bool:
    return docker_answers()


@pytest.fixture(scope="session")
def postgres_admin_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A superuser URL (postgresql+asyncpg://...) of a PostgreSQL 18 server for this session."""
    if url := os.environ.get("IDPRO_POSTGRES_URL"):
        yield url
    elif request.getfixturevalue("_docker_engine"):
        yield from _postgres_container()
    else:
        yield from _embedded_postgres()


@pytest.fixture(scope="session")
def kafka_bootstrap(request: pytest.FixtureRequest) -> Iterator[str]:
    """The bootstrap servers of a Kafka-protocol broker for this session."""
    if servers := os.environ.get("IDPRO_KAFKA_BOOTSTRAP_SERVERS"):
        yield servers
    elif request.getfixturevalue("_docker_engine"):
        yield from _kafka_container()
    else:
        with (
            tempfile.TemporaryDirectory(prefix="idpro-test-broker-") as logs,
            Broker(log_dir=Path(logs)) as broker,
        ):
            yield broker.bootstrap


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[SmtpSink | ExternalSmtp]:
    """The session's SMTP sink (clear() it before counting messages), or the configured server."""
    if host := os.environ.get("IDPRO_SMTP_HOST"):
        yield ExternalSmtp(host, int(os.environ.get("IDPRO_SMTP_PORT", "25")))
        return
    with (
        tempfile.TemporaryDirectory(prefix="idpro-test-mail-") as folder,
        SmtpSink(folder=Path(folder)) as sink,
    ):
        yield sink


@pytest.fixture
def fresh_database_url(postgres_admin_url: str, request: pytest.FixtureRequest) -> str:
    """A new empty database (superuser-owned) for one test, named after the test."""
    return run_async(lambda: create_fresh_database(postgres_admin_url, request.node.name[:30]))


@pytest.fixture(scope="session")
def service_template(postgres_admin_url: str) -> Iterator[Callable[[str], str]]:
    """`service_template("notifier")`: a database migrated once per session by that service's
    `alembic upgrade head`, for tests to clone (devstack.databases.cloned_database)."""
    made: dict[str, str] = {}

    def template(service: str) -> str:
        if service not in made:
            made[service] = migrated_template(postgres_admin_url, service)
        return made[service]

    yield template
    for name in made.values():
        run_async(lambda name=name: drop_database(postgres_admin_url, name))


def _embedded_postgres() -> Iterator[str]:
    root = Path(tempfile.mkdtemp(prefix="idpro-test-pg-"))
    server = EmbeddedPostgres(data_dir=root / "data", settings=DISPOSABLE)
    try:
        with server:
            yield server.admin_url
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _postgres_container() -> Iterator[str]:
    from testcontainers.community.postgres import PostgresContainer  # noqa: PLC0415 - Docker path only

    with PostgresContainer(POSTGRES_IMAGE, driver="asyncpg") as container:
        yield with_database(container.get_connection_url(), "postgres")


def _kafka_container() -> Iterator[str]:
    from testcontainers.community.kafka import KafkaContainer  # noqa: PLC0415 - Docker path only

    with KafkaContainer(KAFKA_IMAGE).with_kraft() as container:
        yield container.get_bootstrap_server()
