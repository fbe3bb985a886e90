"""Prometheus metrics every service shares, and `/metrics`.

Counters and histograms are updated where things happen (HTTP middleware, consumer, relay);
gauges that need the database or the broker are collected at scrape time by `Probes`, at most
once per `ttl_s` however often Prometheus scrapes, so nothing runs between scrapes.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable

from fastapi import APIRouter, FastAPI
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    start_http_server,
)
from sqlalchemy import Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from eventing.logs import get_logger

log = get_logger("eventing.metrics")

# Latency buckets in seconds, from a cached page to a slow upload.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter(
    "idpro_http_requests_total",
    "HTTP requests answered, by route template, method and status",
    ["route", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "idpro_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template and method",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
EVENTS_CONSUMED = Counter(
    "idpro_events_consumed_total",
    "Events taken from a topic, by outcome: done, duplicate, retried (rewound for redelivery), "
    "dead_lettered",
    ["topic", "outcome"],
)
EVENT_HANDLING = Histogram(
    "idpro_event_handling_seconds",
    "Time from taking an event to its outcome, retries included",
    ["topic"],
    buckets=LATENCY_BUCKETS,
)
HANDLER_FAILURES = Counter(
    "idpro_event_handler_failures_total",
    "Failed attempts of a handler (each one retried or dead-lettered), by transient or not",
    ["topic", "transient"],
)
CONSUMER_LAG = Gauge(
    "idpro_consumer_lag",
    "Messages between this member's position and the end of a partition it is assigned",
    ["topic", "partition"],
)
OUTBOX_PENDING = Gauge("idpro_outbox_pending", "Outbox rows not yet published")
OUTBOX_OLDEST_AGE = Gauge(
    "idpro_outbox_oldest_pending_age_seconds", "Age of the oldest unpublished outbox row (0: none)"
)
OUTBOX_PUBLISHED = Counter("idpro_outbox_published_total", "Outbox rows published by the relay")
INBOX_SIZE = Gauge(
    "idpro_inbox_size", "Rows in the inbox (processed event ids; an estimate past 100,000)"
)
DLQ_DEPTH = Gauge(
    "idpro_dlq_depth", "Messages held in the dead-letter topic of a consumed topic", ["topic"]
)
WORKER_WORKING = Gauge(
    "idpro_worker_working",
    "1 while a background loop (relay, dispatcher, consumer …) works, 0 when dead or failing",
    ["worker"],
)
PROBE_FAILURES = Counter(
    "idpro_metrics_probe_failures_total",
    "Scrape-time probes that failed (their gauges keep the last value)",
    ["probe"],
)

Probe = Callable[[], Awaitable[None]]


class Probes:
    """Async gauge collectors run at scrape time, together at most once per `ttl_s`.

    A scrape never waits for them but the first: it answers with the last values and starts a
    refresh in the background when they are older than `ttl_s` (a busy database or broker would
    otherwise make the scrape itself time out, and Prometheus mark the target down).
    """

    def __init__(self, *, ttl_s: float = 5.0, timeout_s: float = 5.0) -> None:
        self.ttl_s, self.timeout_s = ttl_s, timeout_s
        self._probes: dict[str, Probe] = {}
        self._last = float("-inf")
        self._running: asyncio.Task | None = None

    def add(self, name: str, probe: Probe) -> None:
        self._probes[name] = probe

    async def refresh(self) -> None:
        if self._running is None and time.monotonic() - self._last >= self.ttl_s:
            self._running = asyncio.create_task(self._refresh_all())
        if self._running is not None and self._last == float("-inf"):
            await asyncio.shield(self._running)  # the first scrape shows real values

    async def _refresh_all(self) -> None:
        try:
            await asyncio.gather(*(self._run(n, p) for n, p in self._probes.items()))
        finally:
            self._last, self._running = time.monotonic(), None

    async def _run(self, name: str, probe: Probe) -> None:
        try:
            await asyncio.wait_for(probe(), timeout=self.timeout_s)
        except Exception as exc:  # noqa: BLE001 - a scrape must answer whatever fails
            PROBE_FAILURES.labels(name).inc()
            log.warning("metrics.probe_failed", probe=name, error_class=type(exc).__name__)


def database_probe(engine: AsyncEngine, collect: Callable[[AsyncConnection], Awaitable[None]]):
    """A probe that runs `collect` on one short read-only connection."""

    async def probe() -> None:
        async with engine.connect() as conn:
            await collect(conn)

    return probe


def plumbing_probe(engine: AsyncEngine, outbox: Table, inbox: Table) -> Probe:
    """Outbox backlog (the partial index makes it cheap) and the inbox's size."""
    backlog = select(
        func.count(),
        func.coalesce(func.extract("epoch", func.now() - func.min(outbox.c.created_at)), 0),
    ).where(outbox.c.published_at.is_(None))
    # The planner's estimate once the table is large; an exact count while it is small.
    estimate = text("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(:name)")
    exact = select(func.count()).select_from(inbox)

    async def collect(conn: AsyncConnection) -> None:
        pending, age = (await conn.execute(backlog)).one()
        OUTBOX_PENDING.set(pending)
        OUTBOX_OLDEST_AGE.set(float(age))
        rows = await conn.scalar(estimate, {"name": inbox.name}) or 0
        INBOX_SIZE.set(rows if rows >= 100_000 else await conn.scalar(exact))

    return database_probe(engine, collect)


def kafka_probe(consumer_of: Callable[[], object], topics: Callable[[], Iterable[str]]) -> Probe:
    """Lag of each assigned partition, and the depth of each consumed topic's DLQ.

    Uses the service's own group consumer: positions are local, end offsets one request.
    """
    from aiokafka import TopicPartition

    async def probe() -> None:
        consumer = consumer_of()
        if consumer is None:
            return
        assigned = sorted(consumer.assignment())
        if assigned:
            ends = await consumer.end_offsets(assigned)
            for tp in assigned:
                position = await consumer.position(tp)
                lag = max(ends.get(tp, position) - position, 0)
                CONSUMER_LAG.labels(tp.topic, str(tp.partition)).set(lag)
        dlqs = [
            TopicPartition(f"{topic}.dlq", p)
            for topic in topics()
            for p in sorted(consumer.partitions_for_topic(f"{topic}.dlq") or {0})
        ]
        if dlqs:
            first, last = await asyncio.gather(
                consumer.beginning_offsets(dlqs), consumer.end_offsets(dlqs)
            )
            depth: dict[str, int] = {}
            for tp in dlqs:
                depth[tp.topic] = depth.get(tp.topic, 0) + last[tp] - first[tp]
            for dlq, count in depth.items():
                DLQ_DEPTH.labels(dlq.removesuffix(".dlq")).set(count)

    return probe


class HttpMetrics:
    """ASGI middleware: count and time every request by its route template (never the raw path,
    which holds ids and would make one series per request)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = route_template(scope)
            method = scope["method"]
            HTTP_LATENCY.labels(route, method).observe(time.perf_counter() - started)
            HTTP_REQUESTS.labels(route, method, str(status)).inc()


def route_template(scope) -> str:
    """`/requests/{request_id}` for a matched route, the mount for static files, else `unmatched`."""
    return getattr(scope.get("route"), "path", None) or "unmatched"


def metrics_router(probes: Probes | None = None) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        if probes is not None:
            await probes.refresh()
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    return router


def install_metrics(app: FastAPI, probes: Probes | None = None) -> None:
    """`/metrics` and the HTTP middleware (added last: outermost of what is there now)."""
    app.include_router(metrics_router(probes))
    app.add_middleware(HttpMetrics)


class MetricsPort:
    """`/metrics` on a port of its own, for a process whose HTTP port is public (the gateway).

    prometheus_client's server runs in a thread and reads only the registry: fine where no
    scrape-time probe needs the event loop.
    """

    def __init__(self, port: int, *, host: str) -> None:
        self.port, self.host = port, host
        self._server = None

    def start(self) -> None:
        self._server, self._thread = start_http_server(self.port, addr=self.host, registry=REGISTRY)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None
