"""Long polls of a request's status: woken by PostgreSQL LISTEN/NOTIFY, bounded in time and number.

A trigger on `requests` (migration 0008) notifies channel `intake_status` with the request id
whenever a status changes, at commit. One listening connection per process wakes the waiters of
that request, who read it again. Without the listener (database restart, refused connection) the
waiters read again every `recheck_s` instead, so a wait still ends within a second of a change.
"""

import asyncio
import contextlib
from collections.abc import Iterator
from uuid import UUID

import asyncpg
from sqlalchemy.engine import URL

from eventing.logs import get_logger
from eventing.problems import Problem
from eventing.waker import close_listener, open_listener
from eventing.workers import BackgroundLoop, Backoff

log = get_logger("intake.status_watch")

CHANNEL = "intake_status"
MAX_WAIT_S = 25.0  # below the gateway's upstream timeout (30 s)


class StatusChanges(BackgroundLoop):
    """Keeps one LISTEN connection; `watching(request_id)` hands out an event set on a change."""

    def __init__(self, url: URL, *, max_waiters: int = 1000, recheck_s: float = 1.0) -> None:
        super().__init__("status-changes", interval_s=5.0, backoff=Backoff(0.5, 30.0))
        self.url, self.max_waiters, self.recheck_s = url, max_waiters, recheck_s
        self._waiters: dict[UUID, set[asyncio.Event]] = {}
        self._count = 0
        self._listener: asyncpg.Connection | None = None
        self._lost = asyncio.Event()
        self._failures = 0

    @property
    def listening(self) -> bool:
        return self._listener is not None and not self._listener.is_closed()

    @property
    def waiting(self) -> int:
        return self._count

    @contextlib.contextmanager
    def watching(self, request_id: UUID) -> Iterator[asyncio.Event]:
        """An event set whenever this request's status may have changed; 503 when too many wait."""
        if self._count >= self.max_waiters:
            raise Problem(
                503,
                "wait.too_many_waiting",
                "Too many clients are waiting; ask again without waiting, or later.",
                headers={"Retry-After": "1"},
            )
        changed = asyncio.Event()
        self._waiters.setdefault(request_id, set()).add(changed)
        self._count += 1
        try:
            yield changed
        finally:
            self._count -= 1
            waiters = self._waiters.get(request_id)
            if waiters is not None:
                waiters.discard(changed)
                if not waiters:
                    del self._waiters[request_id]

    def recheck_after(self, remaining: float) -> float:
        """How long a waiter may sleep before it reads again."""
        return remaining if self.listening else min(remaining, self.recheck_s)

    async def step(self) -> bool:
        if not self.listening:
            await self._listen()
        return False

    async def idle(self) -> None:
        # Woken when the line drops; without a line, try again after a backoff.
        wait = self.interval_s if self.listening else Backoff(0.5, 30.0).delay(self._failures)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._lost.wait(), timeout=wait)
        self._lost.clear()

    async def on_stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            await close_listener(listener)
        self._wake_all()

    async def _listen(self) -> None:
        await self.on_stop()
        try:
            listener = await open_listener(self.url, CHANNEL, self._notified, self._dropped)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - waiters read again every recheck_s meanwhile
            self._failures += 1
            log.warning("status_watch.not_listening", error_class=type(exc).__name__)
            return
        self._listener, self._failures = listener, 0
        self._wake_all()  # a change while nobody listened: everyone reads again

    def _notified(self, _connection, _pid, _channel, payload: str) -> None:
        try:
            request_id = UUID(payload)
        except ValueError:
            return
        for changed in self._waiters.get(request_id, ()):
            changed.set()

    def _dropped(self, _connection) -> None:
        self._lost.set()
        self._wake_all()

    def _wake_all(self) -> None:
        for waiters in self._waiters.values():
            for changed in waiters:
                changed.set()
