"""A service's Kafka side: the broker its consumer group reads with, the producer its relay and
dead letters write with, the topics it makes sure of, and the loops that keep them honest."""

import logging
from collections.abc import Mapping
from datetime import timedelta

from faststream.kafka import KafkaBroker
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import REGISTRY

from contracts import Event
from eventing.asyncapi import specification
from eventing.broker_watch import BrokerWatch, marker_topic
from eventing.config import ServiceSettings
from eventing.consumer import BatchHandler, EventConsumer, Handler, RetryPolicy, one_after_another
from eventing.database import Database
from eventing.health import Check
from eventing.metrics import Probe, kafka_probe
from eventing.relay import Relay, make_producer
from eventing.topics import catalogue_topics, ensure_topics
from eventing.topology import check_handlers, published_by
from eventing.workers import BackgroundLoop


class Messaging:
    """Built after the Database, for `service` as eventing.topology knows it: its consumer
    handles that service's subscriptions, and it runs a relay only if that service publishes
    (history and webhooks stage nothing). The consumer group is `settings.service_name`."""

    def __init__(self, settings: ServiceSettings, *, service: str, database: Database) -> None:
        self.settings, self.database, self.service = settings, database, service
        self.group = name = settings.service_name
        self.broker = KafkaBroker(
            settings.kafka_bootstrap_servers,
            acks="all",
            enable_idempotence=False,
            graceful_timeout=20.0,
            client_id=name,
            logger=logging.getLogger("faststream"),
            # per-message "Received/Processed" lines are debug chatter
            log_level=logging.DEBUG,
            # faststream_received_messages_total & co, per batch (ours count per event)
            middlewares=[KafkaPrometheusMiddleware(registry=REGISTRY, app_name=name)],
        )
        # The relay's and the dead letters' (consumers write to <topic>.dlq).
        self.producer = make_producer(settings.kafka_bootstrap_servers, client_id=f"{name}-out")
        self.topics = catalogue_topics(settings.topic_partitions)
        self.published = published_by(service)
        self.relay = self._relay() if self.published else None
        self.broker_watch = self._broker_watch()
        self.consumer: EventConsumer | None = None

    def _relay(self) -> Relay:
        db, s = self.database, self.settings
        return Relay(
            engine=db.engine,
            table=db.outbox_table,
            producer=self.producer,
            channel=db.outbox.channel,
            poll_interval_s=s.relay_poll_interval_s,
            batch_size=s.relay_batch_size,
            linger_s=s.relay_linger_s,
        )

    def _broker_watch(self) -> BrokerWatch:
        db, s = self.database, self.settings
        return BrokerWatch(
            service=self.group,
            producer=self.producer,
            ensure_topics=self.ensure_topics,
            topics=self.topics,
            engine=db.engine,
            outbox=db.outbox_table,
            channel=db.outbox.channel,
            replay_window=timedelta(seconds=s.broker_replay_window_s),
            interval_s=s.broker_check_interval_s,
        )

    def loops(self) -> list[BackgroundLoop]:
        """The relay (when this service publishes) and the broker watch, for its Workers."""
        return [loop for loop in (self.relay, self.broker_watch) if loop is not None]

    def consume(
        self,
        handlers: Mapping[type[Event], Handler],
        *,
        batch_handler: BatchHandler | None = None,
        batched: bool = False,
    ) -> EventConsumer:
        """Register this service's handlers (exactly its subscriptions) under its consumer group.

        With `batch_handler`, a consumer batch is first applied in one transaction (see
        EventConsumer.process_batch); `handlers` handle each event alone when that fails.
        `batched=True` builds that batch handler from `handlers` (eventing.handling.one_after_another).
        """
        check_handlers(self.service, handlers)
        if batched and batch_handler is None:
            batch_handler = one_after_another(handlers)
        s = self.settings
        self.consumer = consumer = EventConsumer(
            group=self.group,
            handlers=handlers,
            sessions=self.database.sessions,
            inbox=self.database.inbox,
            producer=self.producer,
            policy=RetryPolicy(
                max_attempts=s.consumer_max_attempts,
                budget_s=s.consumer_retry_budget_s,
                backoff_initial_s=s.consumer_backoff_initial_s,
                backoff_max_s=s.consumer_backoff_max_s,
            ),
            batch_handler=batch_handler,
        )
        consumer.register(
            self.broker,
            fetch_max_wait_ms=s.fetch_max_wait_ms,
            batch_size=s.consumer_batch_size,
            concurrency=s.consumer_concurrency,
            session_timeout_ms=s.consumer_session_timeout_ms,
            heartbeat_interval_ms=s.consumer_heartbeat_interval_ms,
            instance_id=s.consumer_instance_id,
        )
        self.broker_watch.rewind = consumer.rewind
        return consumer

    async def ensure_topics(self, topics: dict[str, int]) -> None:
        await ensure_topics(self.settings.kafka_bootstrap_servers, topics)

    async def start(self) -> None:
        # The marker says: the broker has them (eventing.broker_watch).
        await self.ensure_topics({**self.topics, marker_topic(self.group): 1})
        await self.producer.start()
        await self.broker.start()

    async def stop(self) -> None:
        await self.broker.stop()
        await self.producer.stop()

    async def readiness(self) -> dict[str, Check]:
        """The broker answers; the consumer (if any) runs with partitions assigned."""
        try:
            checks: dict[str, Check] = {"broker": bool(await self.broker.ping(timeout=2.0))}
        except Exception:  # noqa: BLE001 - /ready says no, whatever the reason
            checks = {"broker": False}
        if self.consumer is not None:
            checks["consumer"] = self.consumer.health()
        return checks

    def kafka_probe(self) -> Probe | None:
        """Lag and DLQ depth of what this service consumes (None: it consumes nothing)."""
        consumer = self.consumer
        if consumer is None:
            return None
        return kafka_probe(lambda: getattr(consumer.subscriber, "consumer", None), consumer.topics)

    def asyncapi(self, *, version: str = "0.1.0"):
        """This service's AsyncAPI document: its handlers' topics and its relay's."""
        consumed = [t for t, _ in self.consumer.handlers.values()] if self.consumer else []
        return specification(
            self.group,
            bootstrap=self.settings.kafka_bootstrap_servers,
            consumed=consumed,
            published=self.published,
            version=version,
        )
