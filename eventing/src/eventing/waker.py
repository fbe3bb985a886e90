"""Wake a background worker on LISTEN/NOTIFY, with polling as the fallback when the listener is down."""

import asyncio
import contextlib
import time

import asyncpg
from sqlalchemy.engine import URL, make_url

from eventing.logs import get_logger

log = get_logger("eventing.waker")


def asyncpg_dsn(url: URL | str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


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

    async def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(listener.close(), timeout=2)
            if not listener.is_closed():
                listener.terminate()

    async def _listen(self) -> None:
        await self.stop()  # a broken listener is closed, never leaked
        try:
            listener = await asyncpg.connect(asyncpg_dsn(self.url), timeout=5)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - asyncpg raises more than PostgresError here
            self._unavailable(exc)
            return
        try:
            await listener.add_listener(self.channel, lambda *_: self._event.set())
            # Notifications sent while no one listened are lost: poll once when the line drops.
            listener.add_termination_listener(lambda *_: self._event.set())
        except asyncio.CancelledError:
            listener.terminate()
            raise
        except Exception as exc:  # noqa: BLE001 - e.g. InternalClientError on a terminated line
            listener.terminate()
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
