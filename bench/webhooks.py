"""Webhook delivery benchmark: latency on the live path, throughput to healthy receivers alone and
beside slow and failing ones (no head-of-line blocking), and the production retry schedule.

Events enter through the consumer (inbox and all, no Kafka: the broker's share is in bench.e2e);
the deliverer runs its real loop; the receivers are a real HTTP server in another process
(`python -m devstack.receiver`), so their work does not share the deliverer's event loop. The
database: IDPRO_POSTGRES_URL (a superuser URL) if set, else an embedded PostgreSQL 18.
"""

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.report import print_table, write_json
from contracts import NumberAssigned
from devstack._runtime import free_port
from devstack.databases import create_fresh_database
from devstack.postgres import DISPOSABLE, EmbeddedPostgres
from devstack.system import migrate
from eventing.consumer import Delivery as KafkaDelivery
from eventing.consumer import EventConsumer, RetryPolicy
from eventing.db import make_engine, make_sessions
from eventing.inbox import Inbox
from eventing.logs import configure_logging
from webhooks.config import WebhooksSettings
from webhooks.deliverer import Deliverer
from webhooks.domain import RetrySchedule
from webhooks.handlers import HANDLERS
from webhooks.signing import SecretBox, new_secret
from webhooks.tables import Endpoint, processed_events

SETTINGS = {
    "development": True,
    "jwt_public_key": "not used",
    "request_timeout_s": 1.0,
    "lease_s": 5.0,
    "retry_initial_s": 0.5,
    "retry_max_s": 2.0,
}
SLOW = {"delay_s": 3.0}  # beyond the 1 s timeout
FAILING = {"then": 500}


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    if url := os.environ.get("IDPRO_POSTGRES_URL"):
        yield url
        return
    with (
        tempfile.TemporaryDirectory(prefix="idpro-bench-webhooks-") as root,
        EmbeddedPostgres(data_dir=Path(root) / "data", settings=DISPOSABLE) as server,
    ):
        yield server.admin_url


class Receivers:
    """The receiver process: its URLs, and what arrived (read from its journal)."""

    def __init__(self, port: int, journal: Path) -> None:
        self.port, self.journal = port, journal

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def arrivals(self) -> list[dict]:
        lines = self.journal.read_text().splitlines() if self.journal.exists() else []
        return [json.loads(line) for line in lines if line.endswith("}")]

    async def wait(self, paths: set[str], count: int, *, within: float) -> list[dict]:
        deadline = time.monotonic() + within
        while len(found := [a for a in self.arrivals() if a["path"] in paths]) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(found)} of {count} arrived within {within}s")
            await asyncio.sleep(0.05)
        return found


@contextlib.asynccontextmanager
async def receivers(scripts: dict[str, dict]) -> AsyncIterator[Receivers]:
    with tempfile.TemporaryDirectory(prefix="idpro-bench-receiver-") as folder:
        port, journal = free_port(), Path(folder) / "journal.jsonl"
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "devstack.receiver", "--port", str(port),
            "--journal", str(journal), "--script", json.dumps(scripts),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        try:
            await asyncio.wait_for(process.stdout.readline(), 30)  # "receiving on …"
            yield Receivers(port, journal)
        finally:
            process.terminate()
            await process.wait()


async def service(admin_url: str):
    """A migrated database, its consumer and a deliverer (not started); the engine to dispose."""
    url = await create_fresh_database(admin_url, "bench_webhooks")
    await asyncio.to_thread(migrate, "webhooks", url)
    settings = WebhooksSettings(database_url=url, **SETTINGS)
    engine = make_engine(url, pool_size=12)
    sessions = make_sessions(engine)
    box = SecretBox(settings.fernet_keys())
    consumer = EventConsumer(
        group="webhooks",
        handlers=HANDLERS,
        sessions=sessions,
        inbox=Inbox(processed_events, consumer="webhooks"),
        producer=None,
        policy=RetryPolicy(max_attempts=1),
    )
    deliverer = Deliverer(sessions=sessions, database_url=engine.url, settings=settings, box=box)
    return engine, sessions, box, consumer, deliverer


async def add_endpoints(sessions, box, receivers: Receivers, employers: list[str]) -> None:
    async with sessions.begin() as tx:
        for employer in employers:
            tx.add(
                Endpoint(
                    id=uuid.uuid4(),
                    employer_id=employer,
                    url=receivers.url(f"/{employer}"),
                    event_kinds=["number_assigned"],
                    enabled=True,
                    secret=box.seal(new_secret()),
                    created_by="bench",
                )
            )


async def publish(consumer: EventConsumer, employers: list[str], per_employer: int) -> dict:
    """One event per (employer, round), interleaved; when each one's delivery was committed."""
    committed: dict[str, float] = {}
    for _ in range(per_employer):
        for employer in employers:
            event = NumberAssigned(
                producer="bench",
                request_id=uuid.uuid4(),
                employer_id=employer,
                ssin="90442800295",
                kind="new_bis",
            )
            body = event.model_dump_json().encode()
            await consumer.process(KafkaDelivery(event.topic, 0, 0, event.key, body))
            committed[str(event.request_id)] = time.time()
    return committed


def quantiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }


def groups(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{n:08d}" for n in range(count)]


async def drain(admin_url: str, *, healthy: int, slow: int, failing: int, per: int) -> dict:
    """A backlog (the troubled receivers' deliveries recorded first), then the deliverer starts:
    how fast the healthy receivers get theirs."""
    good, slow_ones, failing_ones = groups("01", healthy), groups("02", slow), groups("03", failing)
    scripts = {f"/{e}": SLOW for e in slow_ones} | {f"/{e}": FAILING for e in failing_ones}
    async with receivers(scripts) as remote:
        engine, sessions, box, consumer, deliverer = await service(admin_url)
        try:
            await add_endpoints(sessions, box, remote, good + slow_ones + failing_ones)
            await publish(consumer, slow_ones + failing_ones, per)
            await publish(consumer, good, per)
            paths = {f"/{e}" for e in good}
            started = time.time()
            await deliverer.start()
            arrived = await remote.wait(paths, healthy * per, within=600)
            elapsed = max(a["at"] for a in arrived) - started
            await deliverer.stop()
        finally:
            await engine.dispose()
        troubled = len(remote.arrivals()) - len(arrived)
    return {
        "healthy_endpoints": healthy,
        "slow_endpoints (3 s, timeout 1 s)": slow,
        "failing_endpoints (500)": failing,
        "healthy_deliveries": len(arrived),
        "healthy_deliveries_per_s": round(len(arrived) / elapsed, 1),
        "last_healthy_arrival_s": round(elapsed, 2),
        "attempts_on_troubled_receivers": troubled,
    }


async def live(admin_url: str, *, events: int, gap_s: float) -> dict:
    """One event every `gap_s`: from the handler's commit to the receiver's arrival."""
    employers = groups("01", 10)
    async with receivers({}) as remote:
        engine, sessions, box, consumer, deliverer = await service(admin_url)
        try:
            await add_endpoints(sessions, box, remote, employers)
            await deliverer.start()
            committed: dict[str, float] = {}
            for n in range(events):
                committed |= await publish(consumer, [employers[n % len(employers)]], 1)
                await asyncio.sleep(gap_s)
            arrived = await remote.wait({f"/{e}" for e in employers}, events, within=120)
            await deliverer.stop()
        finally:
            await engine.dispose()
    first: dict[str, float] = {}
    for a in arrived:
        request_id = json.loads(a["body"])["data"]["request_id"]
        first.setdefault(request_id, a["at"] - committed[request_id])
    return {"events": events, **quantiles(sorted(first.values()))}


def schedule_figures() -> dict:
    """The production defaults: how many attempts over how long, sampled 1,000 times."""
    schedule = RetrySchedule(initial_s=5.0, max_s=6 * 3600, horizon_s=3 * 24 * 3600)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    counts, lasts = [], []
    for _ in range(1000):
        at, attempts = t0, 1
        while (nxt := schedule.next_attempt(now=at, attempts=attempts, since=t0)) is not None:
            at, attempts = nxt, attempts + 1
        counts.append(attempts)
        lasts.append((at - t0) / timedelta(hours=1))
    return {
        "attempts_median": statistics.median(counts),
        "attempts_min": min(counts),
        "attempts_max": max(counts),
        "last_attempt_h_min": round(min(lasts), 1),
        "last_attempt_h_max": round(max(lasts), 1),
    }


async def run(per: int) -> dict:
    configure_logging("bench", "WARNING")
    with postgres() as admin_url:
        return {
            "live_latency": await live(admin_url, events=200, gap_s=0.02),
            "drain_alone": await drain(admin_url, healthy=20, slow=0, failing=0, per=per),
            "drain_beside_slow_and_failing": await drain(
                admin_url, healthy=20, slow=20, failing=20, per=per
            ),
            "schedule": schedule_figures(),
        }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.webhooks", description=__doc__)
    parser.add_argument("--per-endpoint", type=int, default=50, help="events per endpoint")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.per_endpoint))
    for name, figures in result.items():
        print_table(f"webhooks: {name.replace('_', ' ')}", list(figures.items()))
    write_json("webhooks", result)


if __name__ == "__main__":
    main()
