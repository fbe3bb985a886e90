"""Transactional outbox: stage an event with the state change; the relay publishes it later."""

import json
from collections.abc import Mapping

from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event
from eventing import tracing


def notify_channel(service: str) -> str:
    """The LISTEN/NOTIFY channel the relay of `service` waits on."""
    return f"outbox_{service}"


def event_headers(event: Event) -> dict[str, str]:
    """Headers carry ids and the type only: never personal data."""
    headers = {
        "event-id": str(event.event_id),
        "event-type": type(event).__name__,
        "producer": event.producer,
        "content-type": "application/json",
    }
    if event.correlation_id:
        headers["correlation-id"] = str(event.correlation_id)
    return headers


def traced(headers: dict[str, str]) -> dict[str, str]:
    """The row keeps the context it was staged in (traceparent): the relay continues that trace."""
    tracing.inject(headers)
    return headers


class Outbox:
    """Stages events in the caller's transaction; nothing is published here."""

    def __init__(self, table: Table, *, service: str) -> None:
        self.table = table
        self.channel = notify_channel(service)
        # The rows and the relay's wake-up in one statement (one round trip): the rows come as
        # one JSON array, inserted in its order (ids in staging order keep each key's order).
        self._stage = text(
            f"WITH staged AS (INSERT INTO {table.name} (event_id, topic, key, payload, headers)"  # noqa: S608 - our own table
            " SELECT r.event_id, r.topic, r.key, r.payload, r.headers FROM ROWS FROM ("
            " jsonb_to_recordset(CAST(:rows AS jsonb))"
            " AS (event_id uuid, topic text, key text, payload jsonb, headers jsonb))"
            " WITH ORDINALITY AS r(event_id, topic, key, payload, headers, n) ORDER BY r.n)"
            " SELECT pg_notify(CAST(:channel AS text), '')"
        )

    async def stage(self, tx: AsyncSession, *events: Event) -> None:
        """Insert the events and wake the relay when the transaction commits.

        NOTIFY is transactional: the relay hears it only once the rows are visible."""
        if not events:
            return
        rows = ",".join(self._json_row(event) for event in events)
        await tx.execute(self._stage, {"rows": f"[{rows}]", "channel": self.channel})

    @staticmethod
    def _json_row(event: Event) -> str:
        """The outbox row of `event` as JSON, its payload pydantic's own serialisation."""
        head = json.dumps(
            {
                "event_id": str(event.event_id),
                "topic": event.topic,
                "key": str(event.request_id),
                "headers": traced(event_headers(event)),
            },
            separators=(",", ":"),
        )
        return f'{head[:-1]},"payload":{event.model_dump_json()}}}'

    @staticmethod
    def row(event: Event) -> dict:
        """The outbox row of `event` (for a caller that writes it in a statement of its own)."""
        return {
            "event_id": event.event_id,
            "topic": event.topic,
            "key": str(event.request_id),
            "payload": json.loads(event.model_dump_json()),
            "headers": traced(event_headers(event)),
        }


def encode_headers(headers: Mapping[str, str]) -> list[tuple[str, bytes]]:
    return [(name, value.encode()) for name, value in headers.items()]
