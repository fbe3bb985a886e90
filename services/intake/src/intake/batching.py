"""Bulk requests: rows queued at upload, then processed in chunks, each chunk its own transaction.

Every row goes through the rule of POST /requests (`submission.submit_many`: submit_direct for
many keys in a few statements per chunk), under the key `batch:<batch key>:<row>`: a re-upload
of the same batch makes no request twice (its rows come back accepted with the requests made
the first time). A chunk's rows are validated in a thread
(pydantic, CPU) and written in one short transaction, so 10,000 rows never hold one long
transaction nor the event loop; a crash loses at most the chunk in progress, which is retried.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from uuid import UUID, uuid4

import anyio
from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from eventing import correlation
from eventing.auth import Principal
from eventing.db import transaction
from eventing.logs import get_logger
from eventing.outbox import Outbox
from eventing.problems import Problem
from eventing.workers import BackgroundLoop
from intake import submission
from intake.api.problems import field_errors
from intake.domain.batches import flat_field, row_key
from intake.tables import Batch, BatchRow, Request
from intake.validation import DirectSubmit

log = get_logger("intake.batches")
CHUNK = 250


async def save_batch(
    tx: AsyncSession, *, principal: Principal, employer: str, key: str, source: str,
    mapping: dict[str, str], bodies: Sequence[dict], now: datetime,
) -> Batch:  # fmt: skip
    """The batch and its rows, queued (inserted in slices: 10,000 rows stay one statement each)."""
    batch = Batch(
        id=uuid4(), employer_id=employer, requester_id=principal.subject,
        requester_name=principal.name, mandatary_id=principal.mandatary_id,
        batch_key=key, source=source, mapping=mapping,
        status="processing", total=len(bodies), accepted=0, refused=0, created_at=now,
        correlation_id=correlation.current(),
    )  # fmt: skip
    tx.add(batch)
    await tx.flush()
    rows = [
        {"batch_id": batch.id, "row_number": n, "status": "pending", "input": body, "errors": []}
        for n, body in enumerate(bodies, start=1)
    ]
    for start in range(0, len(rows), 1000):
        await tx.execute(BatchRow.__table__.insert(), rows[start : start + 1000])
    return batch


def _validated(bodies: list[dict]) -> list[DirectSubmit | list[dict]]:
    """Each body as the request it asks for, or its field errors (run in a thread)."""
    out: list[DirectSubmit | list[dict]] = []
    for body in bodies:
        try:
            out.append(DirectSubmit.model_validate(body))
        except ValidationError as error:
            out.append(field_errors(list(error.errors())))
    return out


async def process_chunk(
    sessions: async_sessionmaker[AsyncSession], outbox: Outbox, *, now: datetime
) -> bool:
    """The next chunk of one batch no one else holds; False when no batch waits."""
    async with transaction(sessions) as tx:
        batch = await tx.scalar(
            select(Batch).where(Batch.status == "processing").order_by(Batch.created_at)
            .limit(1).with_for_update(skip_locked=True)
        )  # fmt: skip
        if batch is None:
            return False
        rows = (await tx.scalars(
            select(BatchRow).where(BatchRow.batch_id == batch.id, BatchRow.status == "pending")
            .order_by(BatchRow.row_number).limit(CHUNK)
        )).all()  # fmt: skip
        checked = await anyio.to_thread.run_sync(_validated, [r.input for r in rows])
        principal = Principal(batch.requester_id, batch.requester_name, batch.employer_id,
                              frozenset({"requester"}), mandatary_id=batch.mandatary_id)  # fmt: skip
        valid = []
        for row, body in zip(rows, checked, strict=True):
            if isinstance(body, list):
                _refuse(batch, row, [{**e, "field": _column(batch, e["field"])} for e in body])
            else:
                valid.append((row, body))
        answers = await submission.submit_many(
            tx, outbox, [(row_key(batch.batch_key, row.row_number), body) for row, body in valid],
            principal=principal, employer=batch.employer_id, now=now,
            correlation_id=batch.correlation_id,
        )  # fmt: skip
        for (row, _), answer in zip(valid, answers, strict=True):
            _answer(batch, row, answer)
        await _count(tx, batch, now=now)
    return True


def _answer(batch: Batch, row: BatchRow, answer: Request | Problem) -> None:
    if isinstance(answer, Problem):
        params = answer.extra.get("params") or {}
        _refuse(batch, row, [{"field": "row", "code": answer.code, "params": params}])
    else:
        row.status, row.request_id, row.input = "accepted", answer.id, None


def _refuse(batch: Batch, row: BatchRow, errors: list[dict]) -> None:
    row.status, row.errors, row.input = "refused", errors, None


def _column(batch: Batch, field: str) -> str:
    """An error's body path as the user's column."""
    return flat_field(tuple(field.split(".")), batch.mapping)


async def _count(tx: AsyncSession, batch: Batch, *, now: datetime) -> None:
    """The batch's counts from its rows; done when none is pending."""
    await tx.flush()
    counts = dict(
        (await tx.execute(
            select(BatchRow.status, func.count()).where(BatchRow.batch_id == batch.id)
            .group_by(BatchRow.status)
        )).all()
    )  # fmt: skip
    batch.accepted, batch.refused = counts.get("accepted", 0), counts.get("refused", 0)
    if not counts.get("pending"):
        batch.status, batch.finished_at = "done", now
        log.info("batch.done", rows=batch.total, accepted=batch.accepted, refused=batch.refused)


class BatchWorker(BackgroundLoop):
    """Processes queued batches chunk by chunk; an upload wakes it."""

    def __init__(self, sessions, outbox: Outbox, *, clock: Callable[[], datetime],
                 interval_s: float = 5.0) -> None:  # fmt: skip
        super().__init__("batches", interval_s=interval_s)
        self.sessions, self.outbox, self.clock = sessions, outbox, clock
        self._wake = anyio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def idle(self) -> None:
        with anyio.move_on_after(self.interval_s):
            await self._wake.wait()
        self._wake = anyio.Event()

    async def step(self) -> bool:
        return await process_chunk(self.sessions, self.outbox, now=self.clock())


async def rows_of(tx: AsyncSession, batch_id: UUID) -> Sequence[BatchRow]:
    return (
        await tx.scalars(
            select(BatchRow).where(BatchRow.batch_id == batch_id).order_by(BatchRow.row_number)
        )
    ).all()


__all__ = ["BatchWorker", "process_chunk", "rows_of", "save_batch", "update"]
