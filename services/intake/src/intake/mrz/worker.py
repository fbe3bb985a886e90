"""The MRZ worker: reads queued scans, `concurrency` at a time, each within `timeout_s`.

The queue is the `document_readings` table, so a reading survives a restart (its lease runs
out and another round takes it) and replicas share the work (rows are skip-locked). An upload
wakes the worker of its own process and may wait for its reading up to a budget: the answer is
never held longer, the reading then simply shows on the draft when it is done. Nothing read is
logged: only counts, formats, durations and error classes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

import anyio
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from eventing.db import transaction
from eventing.logs import get_logger
from eventing.workers import BackgroundLoop
from intake.documents.limits import Limits
from intake.documents.pdf_pages import NoSuchPage, page_image
from intake.mrz import store
from intake.mrz.reader import ReadOutcome, read_zone
from intake.mrz.tesseract import OcrUnavailable

log = get_logger("intake.mrz")
# A stored PDF has passed the upload checks: at most Limits.max_pages pages.
MAX_PDF_PAGES = Limits().max_pages
MAX_PIXELS = Limits().max_pixels


class MrzWorker(BackgroundLoop):
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        clock: Callable[[], datetime],
        concurrency: int = 1,
        timeout_s: float = 20.0,
        interval_s: float = 5.0,
        max_attempts: int = 3,
    ) -> None:
        super().__init__("mrz-reader", interval_s=interval_s, concurrency=concurrency)
        self.sessions, self.clock = sessions, clock
        self.timeout_s, self.max_attempts = timeout_s, max_attempts
        self._wake = asyncio.Event()
        self._done: dict[UUID, asyncio.Event] = {}

    def wake(self) -> None:
        """A scan was queued: look now rather than at the next interval."""
        self._wake.set()

    async def idle(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=self.interval_s)
        self._wake.clear()

    async def wait_for(self, document_id: UUID, *, budget_s: float) -> bool:
        """Wait up to `budget_s` for this scan's reading in this process; True when it is done."""
        if not self.health().alive:  # not started in this process: nothing to wait for
            return False
        done = self._done.setdefault(document_id, asyncio.Event())
        self.wake()
        try:
            await asyncio.wait_for(done.wait(), timeout=budget_s)
            return True
        except TimeoutError:
            return False
        finally:
            self._done.pop(document_id, None)

    async def step(self) -> bool:
        lease = timedelta(seconds=self.timeout_s * 2)
        async with transaction(self.sessions) as tx:
            claimed = await store.claim_next(
                tx, now=self.clock(), lease=lease, max_attempts=self.max_attempts
            )
        if claimed is None:
            return False
        reading, data = claimed
        status, zone, duration_ms = await self._read(data)
        async with transaction(self.sessions) as tx:
            await store.save_result(
                tx, reading.document_id, status=status, zone=zone, duration_ms=duration_ms,
                now=self.clock(),
            )  # fmt: skip
        if (done := self._done.get(reading.document_id)) is not None:
            done.set()
        log.info("mrz.read", status=status, format=zone and zone.format, duration_ms=duration_ms)
        return True

    async def _read(self, data: bytes):
        try:
            async with asyncio.timeout(self.timeout_s):
                outcome = await self._read_pages(data)
        except TimeoutError:
            return "failed", None, round(self.timeout_s * 1000)
        except OcrUnavailable:
            return "unavailable", None, 0
        except Exception as exc:  # noqa: BLE001 - an unreadable scan must not stop the queue
            log.warning("mrz.failed", error_class=type(exc).__name__)
            return "failed", None, 0
        zone = outcome.zone
        return ("read" if zone else "no_zone"), zone, outcome.duration_ms

    async def _read_pages(self, data: bytes) -> ReadOutcome:
        """An image's zone; a PDF's first zone, its pages read in order as their pictures."""
        if not data.startswith(b"%PDF-"):
            return await read_zone(data, timeout_s=self.timeout_s)
        spent, number = 0, 0
        while number < MAX_PDF_PAGES:
            number += 1
            try:
                picture = await anyio.to_thread.run_sync(
                    lambda n=number: page_image(data, n, max_pixels=MAX_PIXELS)
                )
            except NoSuchPage:
                break
            if picture is None:
                continue
            outcome = await read_zone(picture, timeout_s=self.timeout_s)
            spent += outcome.duration_ms
            if outcome.zone is not None:
                return ReadOutcome(outcome.zone, spent)
        return ReadOutcome(None, spent)
