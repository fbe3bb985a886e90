"""A kept SMTP session of a dispatcher lane."""

import asyncio
import contextlib
import time

import aiosmtplib


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
