"""Is the outside world away (the database, the broker) rather than the request or message wrong?

One answer for every place that must tell them apart: a consumer retries (and never dead-letters)
a transient failure; an HTTP request answers 503 problem+json with Retry-After instead of 500; a
background loop backs off.
"""

import asyncpg
from aiokafka import errors as kafka_errors
from sqlalchemy import exc as sa_exc

# Seconds a client is asked to wait before trying again when a dependency is away.
RETRY_AFTER_S = 5


class TransientError(Exception):
    """Raise when the outside world is not ready yet: a message is retried, a request gets 503."""


_TRANSIENT: tuple[type[BaseException], ...] = (
    TransientError,
    OSError,  # refused, reset, unreachable
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,  # a connection terminated under a query ("connection is closed")
    asyncpg.exceptions.InternalClientError,  # a connection terminated during LISTEN
    asyncpg.exceptions.OperatorInterventionError,  # admin shutdown, cannot connect now
    asyncpg.exceptions.SerializationError,
    asyncpg.exceptions.DeadlockDetectedError,
    asyncpg.exceptions.InsufficientResourcesError,  # too many connections
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,  # the pool gave no connection in time
    kafka_errors.KafkaConnectionError,
    kafka_errors.KafkaTimeoutError,
    kafka_errors.NodeNotReadyError,
    kafka_errors.UnknownTopicOrPartitionError,  # a broker restarted without its topics
)


def is_transient(exc: BaseException | None, *, _depth: int = 0) -> bool:
    """Infrastructure hiccups (here or anywhere in the cause chain); anything else is a property
    of the request or message."""
    if exc is None or _depth > 8:
        return False
    if isinstance(exc, _TRANSIENT):
        return True
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, kafka_errors.KafkaError) and getattr(exc, "retriable", False):
        return True
    cause = getattr(exc, "orig", None) or exc.__cause__
    return is_transient(cause, _depth=_depth + 1)
