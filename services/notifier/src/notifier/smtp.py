"""The SMTP exchange of the dispatcher: kept sessions, one message at a time, the outcome."""

import asyncio
import contextlib
import time
from dataclasses import dataclass

import aiosmtplib

from notifier.config import NotifierSettings
from notifier.domain import is_server_trouble
from notifier.metrics import SMTP_SECONDS
from notifier.rendering import Mail


class Connection:
    """One SMTP session reused for consecutive messages (at most `limit`)."""

    def __init__(self, smtp: aiosmtplib.SMTP, limit: int) -> None:
        self.smtp, self.left = smtp, limit
        self.idle_since = time.monotonic()

    @property
    def usable(self) -> bool:
        return self.left > 0 and self.smtp.is_connected

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.smtp.is_connected:
                await asyncio.wait_for(self.smtp.quit(), timeout=2)
        self.smtp.close()


@dataclass
class Outcome:
    code: int | None = None
    error: str | None = None  # None: the server accepted the message

    @property
    def server_trouble(self) -> bool:
        """The server, not this message: pause every lane."""
        return self.error is not None and is_server_trouble(self.code)


class Sender:
    """Sends over the sessions the lanes keep open while the backlog lasts."""

    def __init__(self, settings: NotifierSettings) -> None:
        self.settings = settings
        self._idle_connections: list[Connection] = []

    async def close_connections(self, *, idle_for: float = 0.0) -> None:
        """Close the kept connections idle for `idle_for` seconds or more (all by default)."""
        now = time.monotonic()
        stale = [c for c in self._idle_connections if now - c.idle_since >= idle_for]
        self._idle_connections = [c for c in self._idle_connections if c not in stale]
        for connection in stale:
            await connection.close()

    async def send(self, message: Mail) -> Outcome:
        started = time.perf_counter()
        try:
            return await self._exchange(message)
        finally:
            SMTP_SECONDS.observe(time.perf_counter() - started)

    async def _exchange(self, message: Mail) -> Outcome:
        """Over a kept connection (or a new one); the connection is dropped on any error."""
        s = self.settings
        connection = None
        try:
            # aiosmtplib bounds each command; this bounds the whole exchange.
            async with asyncio.timeout(s.smtp_timeout_s):
                connection = await self._connection()
                connection.left -= 1
                await connection.smtp.sendmail(
                    message.sender,
                    [message.recipient],
                    message.data,
                    mail_options=["SMTPUTF8"] if message.smtputf8 else None,
                )
        except aiosmtplib.SMTPResponseException as exc:
            return await self._drop(connection, Outcome(exc.code, type(exc).__name__))
        except aiosmtplib.SMTPRecipientsRefused as exc:  # one recipient: its reply is the verdict
            code = exc.recipients[0].code if exc.recipients else None
            return await self._drop(connection, Outcome(code, type(exc).__name__))
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            return await self._drop(connection, Outcome(None, type(exc).__name__))
        if connection.usable:
            connection.idle_since = time.monotonic()
            self._idle_connections.append(connection)
        else:
            await connection.close()
        return Outcome()

    async def _connection(self) -> Connection:
        while self._idle_connections:
            connection = self._idle_connections.pop()
            if connection.usable:
                return connection
            await connection.close()
        s = self.settings
        smtp = aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port,
            username=s.smtp_username,
            password=s.smtp_password.get_secret_value() if s.smtp_password else None,
            start_tls=s.smtp_starttls,
            use_tls=s.smtp_use_tls,
            timeout=s.smtp_timeout_s,
        )
        connection = Connection(smtp, s.smtp_messages_per_connection)
        try:
            await smtp.connect()
        except BaseException:
            smtp.close()
            raise
        return connection

    async def _drop(self, connection: Connection | None, outcome: Outcome) -> Outcome:
        if connection is not None:
            await connection.close()
        return outcome
