"""What a consumer hands its handlers and what comes of it: the handler shapes, a batch of
events in one transaction, the outcomes, the retry policy and one delivery as read from Kafka."""

import contextlib
import contextvars
import enum
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from opentelemetry import trace
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event
from eventing.workers import Backoff

Handler = Callable[[Any, AsyncSession], Awaitable[None]]
# Applies several events in one transaction, in the order given (which keeps each key's order).
BatchHandler = Callable[[list[Any], AsyncSession], Awaitable[None]]
# While a batch is handled with tracing on: each event's span, by event id.
BATCH_SPANS: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "batch_spans", default=None
)


def one_after_another(handlers: Mapping[type[Event], Handler]) -> BatchHandler:
    """A batch handler that runs each event's own handler in turn, in the batch's transaction.

    For handlers that only read and write their service's database (no outside calls): the
    batch then costs one transaction and one inbox insert instead of one of each per event.
    """

    async def handle_all(events: list[Event], tx: AsyncSession) -> None:
        spans = BATCH_SPANS.get() or {}
        for event in events:
            span = spans.get(event.event_id)
            # Each handler runs in its own event's span (what it injects continues that trace).
            with trace.use_span(span, end_on_exit=False) if span else contextlib.nullcontext():
                await handlers[type(event)](event, tx)

    return handle_all


class Outcome(enum.Enum):
    DONE = "done"
    DUPLICATE = "duplicate"
    DEAD_LETTERED = "dead_lettered"
    RETRY_LATER = "retry_later"


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    budget_s: float = 60.0
    backoff_initial_s: float = 0.2
    backoff_max_s: float = 10.0

    def delay(self, attempt: int) -> float:
        """The one backoff rule of every loop (eventing.workers.Backoff)."""
        return Backoff(self.backoff_initial_s, self.backoff_max_s).delay(attempt)


@dataclass(frozen=True)
class Delivery:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = ()
