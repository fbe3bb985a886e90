"""The whole idpro system on one machine: infrastructure, databases, migrations, topics, six services.

Used by `make up` (in the foreground) and by the cross-service test suite (once per session).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from devstack._runtime import free_port, run_async, terminate
from devstack.databases import create_fresh_database, ensure_service_database

ROOT = Path(__file__).resolve().parents[3]
DB_SERVICES = ("intake", "matching", "notifier", "history", "webhooks")
# Every service with a database of its own: the five above, and the gateway (sessions, rate limits).
DATABASES = (*DB_SERVICES, "gateway")
EXTENSIONS = {"matching": ("pg_trgm", "fuzzystrmatch", "unaccent")}
DEFAULT_PORTS = {
    "gateway": 8000,
    "intake": 8001,
    "matching": 8002,
    "notifier": 8003,
    "history": 8004,
    "webhooks": 8005,
}


@dataclass
class Infrastructure:
    """Where the system's broker, database server and SMTP server are."""

    kafka_bootstrap: str
    postgres_admin_url: str
    smtp_host: str
    smtp_port: int


@dataclass
class System:
    infra: Infrastructure
    state_dir: Path
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    # The gateway's /metrics, off its public port (GATEWAY_METRICS_PORT).
    gateway_metrics_port: int = field(default_factory=free_port)
    partitions: int = 6
    extra_env: dict[str, dict[str, str]] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    database_urls: dict[str, str] = field(default_factory=dict)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def metrics_url(self, service: str) -> str:
        """Where Prometheus scrapes `service`: the gateway on a port of its own, others on theirs."""
        if service == "gateway":
            return f"http://127.0.0.1:{self.gateway_metrics_port}"
        return self.url(service)

    @property
    def keys(self) -> tuple[Path, Path]:
        from gateway.devidp import generate_keypair  # noqa: PLC0415 - development keys only

        return generate_keypair(self.state_dir / "keys")

    def prepare(self) -> None:
        """Databases and roles, migrations, topics: everything before the services start."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        asyncio.run(self._databases())
        for service in DATABASES:
            migrate(service, self.database_urls[service])
        asyncio.run(self._topics())

    async def _databases(self) -> None:
        for service in DATABASES:
            self.database_urls[service] = await ensure_service_database(
                self.infra.postgres_admin_url,
                name=f"idpro_{service}",
                role=f"idpro_{service}",
                password=f"{service}-dev-only",
                extensions=EXTENSIONS.get(service, ()),
            )

    async def _topics(self) -> None:
        from eventing.topics import catalogue_topics, ensure_topics  # noqa: PLC0415

        await ensure_topics(self.infra.kafka_bootstrap, catalogue_topics(self.partitions))

    def skip_history(self) -> None:
        """Start every consumer group at the current end of the topics (tests only).

        The test session shares one broker: events other tests published before this system
        started are theirs, not a backlog for these services to work through first.
        """
        asyncio.run(self._commit_end_offsets())

    async def _commit_end_offsets(self) -> None:
        from aiokafka import AIOKafkaConsumer, TopicPartition  # noqa: PLC0415
        from aiokafka.structs import OffsetAndMetadata  # noqa: PLC0415

        from eventing.topics import catalogue_topics  # noqa: PLC0415

        for group in DB_SERVICES:
            # Manual assignment: the offsets are committed without joining the group.
            probe = AIOKafkaConsumer(
                bootstrap_servers=self.infra.kafka_bootstrap,
                group_id=group,
                enable_auto_commit=False,
            )
            await probe.start()
            try:
                await probe.topics()
                partitions = [
                    TopicPartition(topic, p)
                    for topic in catalogue_topics(self.partitions)
                    for p in probe.partitions_for_topic(topic) or ()
                ]
                probe.assign(partitions)
                ends = await probe.end_offsets(partitions)
                await probe.commit({tp: OffsetAndMetadata(end, "") for tp, end in ends.items()})
            finally:
                await probe.stop()

    def environment(self, service: str) -> dict[str, str]:
        """The variables one service reads (its own prefix), pointing at this system's parts."""
        prefix = service.upper()
        _, public = self.keys
        env = {
            f"{prefix}_HTTP_PORT": str(self.ports[service]),
            f"{prefix}_JWT_PUBLIC_KEY_FILE": str(public),
            # make up and the tests are development: the dev IdP's tokens, /docs, /openapi.json.
            f"{prefix}_DEVELOPMENT": "true",
        }
        if service in DB_SERVICES:
            env |= {
                f"{prefix}_DATABASE_URL": self.database_urls[service],
                f"{prefix}_KAFKA_BOOTSTRAP_SERVERS": self.infra.kafka_bootstrap,
                f"{prefix}_TOPIC_PARTITIONS": str(self.partitions),
                # One process per service here, its name its own: static membership, so a
                # restarted service takes its partitions back at once (eventing.config).
                f"{prefix}_CONSUMER_INSTANCE_ID": f"{service}-devstack",
            }
        if service == "notifier":
            env |= {
                "NOTIFIER_SMTP_HOST": self.infra.smtp_host,
                "NOTIFIER_SMTP_PORT": str(self.infra.smtp_port),
                "NOTIFIER_PORTAL_URL": self.url("gateway"),
            }
        if service == "webhooks":
            # Development: endpoints may be http://127.0.0.1 receivers; a well-known secrets key.
            env |= {"WEBHOOKS_DEVELOPMENT": "true"}
        if service == "gateway":
            private, _ = self.keys
            env |= {f"GATEWAY_{name.upper()}_URL": self.url(name) for name in DB_SERVICES}
            env |= {
                "GATEWAY_DATABASE_URL": self.database_urls["gateway"],
                "GATEWAY_METRICS_PORT": str(self.gateway_metrics_port),
                "GATEWAY_DEV_IDP_ENABLED": "true",
                "GATEWAY_DEV_IDP_PRIVATE_KEY_FILE": str(private),
                "GATEWAY_MAILBOX_FOLDER": str(self.state_dir / "mail"),
            }
        return env | self.extra_env.get(service, {})

    def start(self, *, timeout: float = 60.0) -> None:
        """Start the six services and wait until each one is ready."""
        logs = self.state_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        for service in (*DB_SERVICES, "gateway"):
            self.start_service(service, log_file=logs / f"{service}.log")
        for service in self.processes:
            wait_ready(self.url(service), self.processes[service], timeout=timeout)

    def start_service(self, service: str, *, log_file: Path) -> subprocess.Popen[bytes]:
        env = {**os.environ, **self.environment(service)}
        with log_file.open("ab") as out:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", service],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        self.processes[service] = process
        return process

    def stop(self) -> None:
        """SIGTERM every service (they drain their handlers), newest first."""
        for service in reversed(list(self.processes)):
            terminate(self.processes.pop(service), timeout=25.0)


def migrate(service: str, database_url: str) -> None:
    """`alembic upgrade head` for one service, against its own database."""
    env = {**os.environ, f"{service.upper()}_DATABASE_URL": database_url}
    subprocess.run(  # noqa: S603 - our own interpreter running alembic
        [
            sys.executable,
            "-m",
            "alembic",
            "-c",
            str(ROOT / "services" / service / "alembic.ini"),
            "upgrade",
            "head",
        ],
        env=env,
        check=True,
        cwd=ROOT / "services" / service,
        capture_output=True,
    )


def migrated_template(admin_url: str, service: str) -> str:
    """A fresh database migrated once by the service's `alembic upgrade head`; its name.

    Tests clone it (devstack.databases.cloned_database) instead of migrating again.
    """
    url = run_async(
        lambda: create_fresh_database(
            admin_url, f"{service}_template", extensions=EXTENSIONS.get(service, ())
        )
    )
    migrate(service, url)
    return make_url(url).database


def wait_ready(url: str, process: subprocess.Popen[bytes], *, timeout: float) -> None:
    """Poll /ready until 200; fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}; see its log")
        try:
            with urllib.request.urlopen(f"{url}/ready", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} not ready after {timeout:.0f}s")
