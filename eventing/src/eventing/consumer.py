"""Consume events with an explicit ack policy: inbox dedupe, retry with backoff, then the DLQ."""

import asyncio
import contextlib
import time
from collections.abc import Mapping
from typing import Any

import structlog
from aiokafka import AIOKafkaProducer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from opentelemetry.trace import SpanKind
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts import Event
from eventing import tracing
from eventing.db import transaction
from eventing.handling import (
    BATCH_SPANS,
    BatchHandler,
    Delivery,
    Handler,
    Outcome,
    RetryPolicy,
    one_after_another,
)
from eventing.inbox import Inbox
from eventing.logs import get_logger
from eventing.metrics import EVENT_HANDLING, EVENTS_CONSUMED, HANDLER_FAILURES
from eventing.topics import never_auto_create
from eventing.transient import TransientError, is_transient

log = get_logger("eventing.consumer")

__all__ = [
    "BatchHandler",
    "Delivery",
    "EventConsumer",
    "Handler",
    "Outcome",
    "RetryPolicy",
    "TransientError",
    "is_transient",
    "one_after_another",
]

# The outcome label of idpro_events_consumed_total: a rewound event is "retried".
_OUTCOME_LABEL = {
    Outcome.DONE: "done",
    Outcome.DUPLICATE: "duplicate",
    Outcome.DEAD_LETTERED: "dead_lettered",
    Outcome.RETRY_LATER: "retried",
}


class EventConsumer:
    """One consumer group per service, one Kafka subscriber over all the topics it handles."""

    def __init__(
        self,
        *,
        group: str,
        handlers: Mapping[type[Event], Handler],
        sessions: async_sessionmaker[AsyncSession],
        inbox: Inbox,
        producer: AIOKafkaProducer,
        policy: RetryPolicy,
        batch_handler: BatchHandler | None = None,
    ) -> None:
        self.group, self.sessions, self.inbox = group, sessions, inbox
        self.producer, self.policy = producer, policy
        self.handlers = {event_type.topic: (event_type, h) for event_type, h in handlers.items()}
        self.handlers_by_type = dict(handlers)
        self.batch_handler = batch_handler
        self.concurrency = 1

    def register(
        self,
        broker: KafkaBroker,
        *,
        fetch_max_wait_ms: int = 100,
        batch_size: int = 100,
        concurrency: int = 8,
        session_timeout_ms: int = 6000,
        heartbeat_interval_ms: int = 1000,
        instance_id: str | None = None,
    ) -> None:
        """Subscribe with manual acks: nothing is committed before the whole batch is processed.

        `session_timeout_ms`, `heartbeat_interval_ms` and `instance_id` (static membership) set
        how soon a dead member's partitions are read again (eventing.config explains them)."""
        self.concurrency = concurrency
        never_auto_create()  # a subscribed topic missing is not created with the broker's default
        self.subscriber = broker.subscriber(
            *self.handlers,
            group_id=self.group,
            ack_policy=AckPolicy.MANUAL,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=fetch_max_wait_ms,
            batch=True,
            max_records=batch_size,
            batch_timeout_ms=fetch_max_wait_ms,
            decoder=_raw_body,
            title=f"{self.group}-consumer",
            session_timeout_ms=session_timeout_ms,
            heartbeat_interval_ms=heartbeat_interval_ms,
            group_instance_id=instance_id,
        )
        self.subscriber(self._on_batch)

    def topics(self) -> list[str]:
        return list(self.handlers)

    def health(self) -> tuple[bool, dict]:
        """Consuming: the subscriber's loop runs and the group gave this member partitions."""
        subscriber = getattr(self, "subscriber", None)
        consumer = getattr(subscriber, "consumer", None)
        tasks = getattr(subscriber, "tasks", [])
        running = bool(tasks) and not any(task.done() for task in tasks)
        partitions = len(consumer.assignment()) if consumer is not None else 0
        return running and partitions > 0, {"running": running, "partitions": partitions}

    async def rewind(self) -> int:
        """Read every assigned partition again from its beginning (the inbox drops what was
        handled); the number of partitions rewound.

        The metadata is read again first: a topic a client auto-created on the restarted broker
        may have more partitions than this member knows of, and a changed count makes the group
        rebalance, so that the new partitions are read too."""
        consumer = getattr(getattr(self, "subscriber", None), "consumer", None)
        if consumer is None:
            return 0
        await consumer._client.force_metadata_update()  # noqa: SLF001 - no public call for it
        partitions = consumer.assignment()
        if partitions:
            await consumer.seek_to_beginning(*partitions)
        return len(partitions)

    async def _on_batch(self, message: KafkaMessage) -> None:
        raw = message.raw_message
        records = raw if isinstance(raw, tuple) else (raw,)
        outcomes = await self.process_batch(
            [Delivery(r.topic, r.partition, r.offset, r.key, r.value, r.headers) for r in records]
        )
        if Outcome.RETRY_LATER in outcomes:
            # Rewinds every partition of the batch; what was done already is skipped by the inbox.
            await message.nack()
        else:
            await message.ack()

    async def process_batch(self, deliveries: list[Delivery]) -> list[Outcome]:
        """Requests run side by side; the events of one request (one key) run in their order."""
        if self.batch_handler is not None and len(deliveries) > 1:
            outcomes = await self._process_as_one(deliveries)
            if outcomes is not None:
                return outcomes
        by_key: dict[bytes | None, list[Delivery]] = {}
        for delivery in deliveries:
            by_key.setdefault(delivery.key, []).append(delivery)
        slots = asyncio.Semaphore(self.concurrency)

        async def in_order(group: list[Delivery]) -> list[Outcome]:
            outcomes: list[Outcome] = []
            async with slots:
                for delivery in group:
                    outcomes.append(await self.process(delivery))
                    if outcomes[-1] is Outcome.RETRY_LATER:
                        break  # later events of this request wait for the redelivery
            return outcomes

        results = await asyncio.gather(*(in_order(group) for group in by_key.values()))
        return [outcome for group in results for outcome in group]

    async def _process_as_one(self, deliveries: list[Delivery]) -> list[Outcome] | None:
        """The whole batch in one transaction: one inbox insert, one call of the batch handler.

        None when anything fails (a message that does not parse, a handler error, a transient
        one): nothing of it is kept, and the caller handles each event alone, with its retries
        and its DLQ, as if there had been no batch.
        """
        started = time.perf_counter()
        try:
            events = [self.handlers[d.topic][0].model_validate_json(d.value) for d in deliveries]
        except (ValidationError, ValueError):
            return None
        spans = contextlib.ExitStack()
        if tracing.enabled():  # one span per event, each continuing its producer's trace
            opened = [
                spans.enter_context(
                    tracing.span(
                        f"{d.topic} process",
                        parent=tracing.kafka_context(d.headers),
                        kind=SpanKind.CONSUMER,
                        attributes={
                            "messaging.destination.name": d.topic,
                            "idpro.group": self.group,
                            "idpro.batch_size": len(deliveries),
                        },
                    )
                )
                for d in deliveries
            ]
        else:
            opened = []
        by_event = BATCH_SPANS.set(
            {e.event_id: span for e, span in zip(events, opened, strict=False) if span}
        )
        try:
            async with transaction(self.sessions) as tx:
                fresh = await self.inbox.first_times(tx, events)
                todo, taken = [], set()
                for event in events:  # delivery order: each key's events stay in their order
                    if event.event_id in fresh and event.event_id not in taken:
                        taken.add(event.event_id)
                        todo.append(event)
                if todo:
                    await self.batch_handler(todo, tx)
        except asyncio.CancelledError:
            spans.close()
            raise
        except Exception as exc:
            for span in opened:
                span.set_attribute("idpro.outcome", "split")
            spans.close()
            log.info("consumer.batch_split", error_class=type(exc).__name__, size=len(events))
            return None
        finally:
            BATCH_SPANS.reset(by_event)
        taken = set()
        outcomes = []
        for event in events:
            first = event.event_id in fresh and event.event_id not in taken
            taken.add(event.event_id)
            outcomes.append(Outcome.DONE if first else Outcome.DUPLICATE)
        log.info("consumer.batch_handled", size=len(events), handled=len(todo))
        for span, outcome in zip(opened, outcomes, strict=False):  # none when tracing is off
            span.set_attribute("idpro.outcome", _OUTCOME_LABEL[outcome])
        spans.close()
        share = (time.perf_counter() - started) / len(deliveries)
        for delivery, outcome in zip(deliveries, outcomes, strict=True):
            EVENT_HANDLING.labels(delivery.topic).observe(share)
            EVENTS_CONSUMED.labels(delivery.topic, _OUTCOME_LABEL[outcome]).inc()
        return outcomes

    async def process(self, delivery: Delivery) -> Outcome:
        """Parse, then handle with retries; a message that cannot be processed goes to the DLQ."""
        started = time.perf_counter()
        if tracing.enabled():
            outcome = await self._traced(delivery)
        else:
            outcome = await self._process(delivery)
        EVENT_HANDLING.labels(delivery.topic).observe(time.perf_counter() - started)
        EVENTS_CONSUMED.labels(delivery.topic, _OUTCOME_LABEL[outcome]).inc()
        return outcome

    async def _traced(self, delivery: Delivery) -> Outcome:
        """Handled in a span continuing the trace of the record's producer (its traceparent)."""
        with tracing.span(
            f"{delivery.topic} process",
            parent=tracing.kafka_context(delivery.headers),
            kind=SpanKind.CONSUMER,
            attributes={"messaging.destination.name": delivery.topic, "idpro.group": self.group},
        ) as span:
            outcome = await self._process(delivery)
            span.set_attribute("idpro.outcome", _OUTCOME_LABEL[outcome])
            return outcome

    async def _process(self, delivery: Delivery) -> Outcome:
        event_type, handler = self.handlers[delivery.topic]
        try:
            event = event_type.model_validate_json(delivery.value)
        except (ValidationError, ValueError) as exc:
            return await self._dead_letter(delivery, exc, attempts=1)
        with structlog.contextvars.bound_contextvars(
            event_id=str(event.event_id),
            request_id=str(event.request_id),
            correlation_id=str(event.correlation_id or event.event_id),
            topic=delivery.topic,
        ):
            return await self._handle_with_retries(delivery, event, handler)

    async def _handle_with_retries(
        self, delivery: Delivery, event: Event, handler: Handler
    ) -> Outcome:
        loop = asyncio.get_running_loop()
        started, attempt = loop.time(), 0
        while True:
            attempt += 1
            try:
                return await self._handle_once(event, handler)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                transient = is_transient(exc)
                HANDLER_FAILURES.labels(delivery.topic, "true" if transient else "false").inc()
                log.warning(
                    "consumer.handler_failed",
                    error_class=type(exc).__name__,
                    attempt=attempt,
                    transient=transient,
                )
                if not transient and attempt >= self.policy.max_attempts:
                    return await self._dead_letter(delivery, exc, attempts=attempt)
                if transient and loop.time() - started > self.policy.budget_s:
                    # The message is fine, the world is not: rewind and try again later.
                    return Outcome.RETRY_LATER
                await asyncio.sleep(self.policy.delay(attempt))

    async def _handle_once(self, event: Event, handler: Handler) -> Outcome:
        async with transaction(self.sessions) as tx:
            if not await self.inbox.first_time(tx, event):
                log.info("consumer.duplicate_skipped")
                return Outcome.DUPLICATE
            await handler(event, tx)
        log.info("consumer.handled")
        return Outcome.DONE

    async def _dead_letter(
        self, delivery: Delivery, exc: BaseException, *, attempts: int
    ) -> Outcome:
        """Park the message; headers say where it came from and why, never what it holds."""
        headers = [
            ("dlq-original-topic", delivery.topic.encode()),
            ("dlq-original-partition", str(delivery.partition).encode()),
            ("dlq-original-offset", str(delivery.offset).encode()),
            ("dlq-error-class", type(exc).__name__.encode()),
            ("dlq-consumer-group", self.group.encode()),
            ("dlq-attempts", str(attempts).encode()),
        ]
        try:
            await self.producer.send_and_wait(
                f"{delivery.topic}.dlq", value=delivery.value, key=delivery.key, headers=headers
            )
        except Exception as publish_exc:  # without a DLQ copy the message must not be dropped
            log.error("consumer.dead_letter_failed", error_class=type(publish_exc).__name__)
            return Outcome.RETRY_LATER
        log.error(
            "consumer.dead_lettered",
            error_class=type(exc).__name__,
            partition=delivery.partition,
            offset=delivery.offset,
        )
        return Outcome.DEAD_LETTERED


async def _raw_body(message: Any) -> bytes:
    """Keep the raw bytes: parsing (and refusing) is ours, not the framework's."""
    return message.body
