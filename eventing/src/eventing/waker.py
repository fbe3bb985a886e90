"""Wake a background worker on LISTEN/NOTIFY, with polling as the fallback when the listener is down."""

import asyncio
import contextlib
import time
from collections.abc import Callable

import asyncpg
from sqlalchemy.engine import URL, make_url

from eventing.logs import get_logger

log = get_logger("eventing.waker")


def asyncpg_dsn(url: URL | str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def open_listener(
    url: URL | str,
    channel: str,
    on_notify: Callable[..., object],
    on_drop: Callable[..., object],
) -> asyncpg.Connection:
    """A connection of its own listening on `channel`, `on_drop` called when the line drops;
    closed again, never leaked, when listening fails. Raises what asyncpg raises (more than
    PostgresError: InternalClientError on a terminated line)."""
    listener = await asyncpg.connect(asyncpg_dsn(url), timeout=5)
    try:
        await listener.add_listener(channel, on_notify)
        listener.add_termination_listener(on_drop)
    except BaseException:
        listener.terminate()
        raise
    return listener


async def close_listener(listener: asyncpg.Connection) -> None:
    """Close politely for up to 2 s, then cut the line."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(listener.close(), timeout=2)
    if not listener.is_closed():
        listener.terminate()


class Waker:
    """wait() never raises: a listener that fails is dropped, and the worker polls meanwhile."""

    def __init__(self, url: URL, *, channel: str, poll_interval_s: float) -> None:
        self.url, self.channel, self.poll_interval_s = url, channel, poll_interval_s
        self._event = asyncio.Event()
        self._listener: asyncpg.Connection | None = None
        self._failures, self._retry_at = 0, 0.0

    async def start(self) -> None:
        await self._listen()

    async def wait(self) -> None:
        """Return on a notification, or after the poll interval at the latest."""
        if (self._listener is None or self._listener.is_closed()) and (
            time.monotonic() >= self._retry_at
        ):
            await self._listen()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), timeout=self.poll_interval_s)
        self._event.clear()

    def wake(self) -> None:
        """Wake the worker now (a notification that came another way)."""
        self._event.set()

    def _wake(self, *_: object) -> None:
        self._event.set()

    async def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            await close_listener(listener)

    async def _listen(self) -> None:
        await self.stop()  # a broken listener is closed, never leaked
        try:
            # Notifications sent while no one listened are lost: poll once when the line drops.
            listener = await open_listener(self.url, self.channel, self._wake, self._wake)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - e.g. InternalClientError on a terminated line
            self._unavailable(exc)
            return
        self._listener, self._failures = listener, 0
        self._event.set()  # what was staged before we listened is published at once

    def _unavailable(self, exc: BaseException) -> None:
        # Polling goes on meanwhile; listening is tried again less and less often (up to 30 s).
        self._failures += 1
        self._retry_at = time.monotonic() + min(2.0**self._failures, 30.0)
        log.warning(
            "waker.listen_unavailable", channel=self.channel, error_class=type(exc).__name__
        )


class OneWatcher:
    """Idle lanes of one worker that wake one at a time, not all at each notification.

    One idle lane watches the Waker (a notification, or its poll); the others wait until a lane
    that found work calls `found_work()`, which wakes one of them, since more may be due: so a
    burst still spreads over every lane, while a single notification costs one look, plus the
    one look of the lane it woke, instead of one per lane. Each lane keeps looking while it finds
    work, and the lane that next goes idle takes the watch if it is free, so whenever a lane is
    idle one of them watches or another lane is still at work."""

    def __init__(self, waker: Waker) -> None:
        self.waker = waker
        self.watching = False
        self._waiting: list[asyncio.Future[None]] = []

    async def idle(self) -> None:
        if not self.watching:
            self.watching = True
            try:
                await self.waker.wait()
            finally:
                self.watching = False
            return
        woken = asyncio.get_running_loop().create_future()
        self._waiting.append(woken)
        try:
            await woken
        finally:
            if woken in self._waiting:
                self._waiting.remove(woken)

    def found_work(self) -> None:
        """Wake one lane that waits (if any): there may be more to do than this lane takes."""
        while self._waiting:
            woken = self._waiting.pop(0)
            if not woken.done():
                woken.set_result(None)
                return
