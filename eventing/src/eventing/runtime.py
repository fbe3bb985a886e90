"""Wiring every service shares: engine, broker, relay, consumer, HTTP app with health and ready."""

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import APIRouter, FastAPI
from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import REGISTRY
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts import Event
from eventing import tracing
from eventing.asyncapi import asyncapi_router, published_by, specification
from eventing.auth import TokenVerifier
from eventing.broker_watch import BrokerWatch, marker_topic
from eventing.config import ServiceSettings
from eventing.consumer import (
    BatchHandler,
    EventConsumer,
    Handler,
    RetryPolicy,
    one_after_another,
)
from eventing.correlation import CorrelationMiddleware
from eventing.db import make_engine, make_sessions
from eventing.health import Check, health_router
from eventing.inbox import Inbox
from eventing.logs import configure_logging, get_logger
from eventing.metrics import (
    WORKER_WORKING,
    Probes,
    database_probe,
    install_metrics,
    kafka_probe,
    plumbing_probe,
)
from eventing.outbox import Outbox
from eventing.problems import install_problem_handlers
from eventing.purge import PlumbingPurge
from eventing.relay import Relay, make_producer
from eventing.tables import define_plumbing_tables
from eventing.topics import catalogue_topics, ensure_topics
from eventing.workers import BackgroundLoop, Workers

log = get_logger("eventing.runtime")


class ServiceRuntime:
    """Everything a service needs besides its own domain: built once, in its composition root."""

    def __init__(self, settings: ServiceSettings, *, metadata: MetaData) -> None:
        self.settings = settings
        self.name = settings.service_name
        self.outbox_table, self.inbox_table = plumbing_tables(metadata)
        tracing.configure(self.name)
        self.engine = make_engine(
            settings.database_url.get_secret_value(), pool_size=settings.db_pool_size
        )
        tracing.instrument_engine(self.engine)
        self.sessions = make_sessions(self.engine)
        self.outbox = Outbox(self.outbox_table, service=self.name)
        self.broker = KafkaBroker(
            settings.kafka_bootstrap_servers,
            acks="all",
            enable_idempotence=False,
            graceful_timeout=20.0,
            client_id=self.name,
            logger=logging.getLogger("faststream"),
            # per-message "Received/Processed" lines are debug chatter
            log_level=logging.DEBUG,
            # faststream_received_messages_total & co, per batch (ours count per event)
            middlewares=[KafkaPrometheusMiddleware(registry=REGISTRY, app_name=self.name)],
        )
        self.producer = make_producer(
            settings.kafka_bootstrap_servers, client_id=f"{self.name}-out"
        )
        self.relay = Relay(
            engine=self.engine,
            table=self.outbox_table,
            producer=self.producer,
            channel=self.outbox.channel,
            poll_interval_s=settings.relay_poll_interval_s,
            batch_size=settings.relay_batch_size,
        )
        self.verifier = TokenVerifier(
            settings.jwt_public_key or "",
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            accept_development=settings.development,
        )
        self.consumer: EventConsumer | None = None
        self.workers = Workers(self.relay)
        self.topics = catalogue_topics(settings.topic_partitions)
        self.broker_watch = self.workers.add(
            BrokerWatch(
                service=self.name,
                producer=self.producer,
                ensure_topics=self.ensure_topics,
                topics=self.topics,
                engine=self.engine,
                outbox=self.outbox_table,
                channel=self.outbox.channel,
                replay_window=timedelta(seconds=settings.broker_replay_window_s),
                interval_s=settings.broker_check_interval_s,
            )
        )
        self.workers.add(
            PlumbingPurge(
                self.engine,
                self.outbox_table,
                self.inbox_table,
                outbox_retention=timedelta(days=settings.outbox_retention_days),
                inbox_retention=timedelta(days=settings.inbox_retention_days),
                interval_s=settings.plumbing_purge_interval_s,
            )
        )
        # Gauges read at scrape time (cached a few seconds): nothing runs between scrapes.
        self.probes = Probes()
        self.probes.add(
            "plumbing", plumbing_probe(self.engine, self.outbox_table, self.inbox_table)
        )
        self.probes.add("workers", self._workers_probe)

    async def ensure_topics(self, topics: dict[str, int]) -> None:
        await ensure_topics(self.settings.kafka_bootstrap_servers, topics)

    def add_probe(self, name: str, collect: Callable[[AsyncConnection], Awaitable[None]]) -> None:
        """Set this service's own gauges from its database when /metrics is scraped."""
        self.probes.add(name, database_probe(self.engine, collect))

    def add_worker(self, worker: BackgroundLoop) -> None:
        """A background loop run beside the relay, its health shown on /ready and /health."""
        self.workers.add(worker)

    def consume(
        self,
        handlers: Mapping[type[Event], Handler],
        *,
        batch_handler: BatchHandler | None = None,
        batched: bool = False,
    ) -> EventConsumer:
        """Register this service's handlers under its consumer group (group id = service name).

        With `batch_handler`, a consumer batch is first applied in one transaction (see
        EventConsumer.process_batch); `handlers` handle each event alone when that fails.
        `batched=True` builds that batch handler from `handlers` (eventing.consumer.one_after_another).
        """
        if batched and batch_handler is None:
            batch_handler = one_after_another(handlers)
        s = self.settings
        policy = RetryPolicy(
            max_attempts=s.consumer_max_attempts,
            budget_s=s.consumer_retry_budget_s,
            backoff_initial_s=s.consumer_backoff_initial_s,
            backoff_max_s=s.consumer_backoff_max_s,
        )
        self.consumer = EventConsumer(
            group=self.name,
            handlers=handlers,
            sessions=self.sessions,
            inbox=Inbox(self.inbox_table, consumer=self.name),
            producer=self.producer,
            policy=policy,
            batch_handler=batch_handler,
        )
        self.consumer.register(
            self.broker,
            fetch_max_wait_ms=s.fetch_max_wait_ms,
            batch_size=s.consumer_batch_size,
            concurrency=s.consumer_concurrency,
        )
        consumer = self.consumer
        self.broker_watch.rewind = consumer.rewind
        self.probes.add(
            "kafka",
            kafka_probe(lambda: getattr(consumer.subscriber, "consumer", None), consumer.topics),
        )
        return self.consumer

    @asynccontextmanager
    async def running(self) -> AsyncIterator["ServiceRuntime"]:
        """Start producer, topics, relay and consumers; stop them in reverse order."""
        configure_logging(self.name, self.settings.log_level)
        await self.ensure_topics(
            {**self.topics, marker_topic(self.name): 1}  # the marker says: the broker has them
        )
        await self.producer.start()
        await self.broker.start()
        await self.workers.start()
        log.info("service.started")
        try:
            yield self
        finally:
            await self.workers.stop()
            await self.broker.stop()
            await self.producer.stop()
            await self.engine.dispose()
            tracing.flush()
            log.info("service.stopped")

    async def _workers_probe(self) -> None:
        """What /ready says of the consumer and every worker, as idpro_worker_working."""
        if self.consumer is not None:
            WORKER_WORKING.labels("consumer").set(int(self.consumer.health()[0]))
        for name, health in self.workers.health().items():
            WORKER_WORKING.labels(name).set(int(health.working))

    async def readiness(self) -> dict[str, Check]:
        """Database and broker reachable, the consumer assigned, every worker working."""
        checks = await self._reachable()
        if self.consumer is not None:
            checks["consumer"] = self.consumer.health()
        for name, health in self.workers.health().items():
            checks[name] = (health.working, health.as_dict())
        return checks

    async def _reachable(self) -> dict[str, Check]:
        """Database and broker reachable, each within a short timeout."""

        async def database() -> bool:
            async with self.engine.connect() as conn:
                return await conn.scalar(text("SELECT 1")) == 1

        checks = {"database": database(), "broker": self.broker.ping(timeout=2.0)}
        results: dict[str, Check] = {}
        for name, check in checks.items():
            try:
                results[name] = bool(await asyncio.wait_for(check, timeout=3.0))
            except Exception:
                results[name] = False
        return results

    def http_app(
        self,
        *,
        title: str,
        routers: Sequence[APIRouter] = (),
        version: str = "0.1.0",
        **fastapi_kwargs,
    ) -> FastAPI:
        """A FastAPI app whose lifespan runs this runtime, with /health, /ready and problem+json."""

        @asynccontextmanager
        async def lifespan(app: FastAPI) -> AsyncIterator[None]:
            async with self.running():
                yield

        if not self.settings.development:
            # The schema maps every route and field for an attacker: development only.
            fastapi_kwargs = {
                "docs_url": None,
                "redoc_url": None,
                "openapi_url": None,
            } | fastapi_kwargs
        app = FastAPI(title=title, version=version, lifespan=lifespan, **fastapi_kwargs)
        app.state.runtime = self
        app.state.verifier = self.verifier
        install_problem_handlers(app)
        app.include_router(
            health_router(lambda request: self.readiness(), liveness=self.workers.alive)
        )
        app.add_middleware(CorrelationMiddleware)
        for router in routers:
            app.include_router(router)
        app.include_router(asyncapi_router(lambda: self.asyncapi(version=version)))
        install_metrics(app, self.probes)
        tracing.instrument_app(app)
        return app

    def asyncapi(self, *, version: str = "0.1.0"):
        """This service's AsyncAPI document: its handlers' topics and its relay's."""
        consumed = [t for t, _ in self.consumer.handlers.values()] if self.consumer else []
        return specification(
            self.name,
            bootstrap=self.settings.kafka_bootstrap_servers,
            consumed=consumed,
            published=published_by(self.name),
            version=version,
        )


def plumbing_tables(metadata: MetaData):
    """The outbox and inbox of this metadata, defined once however often a service is built."""
    if "outbox_messages" in metadata.tables:
        return metadata.tables["outbox_messages"], metadata.tables["processed_events"]
    return define_plumbing_tables(metadata)


__all__ = ["ServiceRuntime"]
