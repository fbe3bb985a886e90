"""Wake a background worker on LISTEN/NOTIFY, with polling as the fallback when the listener is down."""

import asyncio
import contextlib

import asyncpg
from sqlalchemy.engine import URL, make_url

from eventing.logs import get_logger

log = get_logger("eventing.waker")


def asyncpg_dsn(url: URL | str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class Waker:
    def __init__(self, url: URL, *, channel: str, poll_interval_s: float) -> None:
        self.url, self.channel, self.poll_interval_s = url, channel, poll_interval_s
        self._event = asyncio.Event()
        self._listener: asyncpg.Connection | None = None

    async def start(self) -> None:
        await self._listen()

    async def wait(self) -> None:
        """Return on a notification, or after the poll interval at the latest."""
        if self._listener is None or self._listener.is_closed():
            await self._listen()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), timeout=self.poll_interval_s)
        self._event.clear()

    async def stop(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(Exception):
                await self._listener.close()
            self._listener = None

    async def _listen(self) -> None:
        try:
            self._listener = await asyncpg.connect(asyncpg_dsn(self.url), timeout=5)
            await self._listener.add_listener(self.channel, lambda *_: self._event.set())
        except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
            await self.stop()  # a connection that cannot listen is closed, not leaked
            log.warning(
                "waker.listen_unavailable", channel=self.channel, error_class=type(exc).__name__
            )
