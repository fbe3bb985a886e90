"""Reading the messages the SMTP sink kept: one .eml file per message in a folder."""

from __future__ import annotations

import asyncio
import email
import email.policy
import email.utils
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

ENVELOPE_FROM = "X-Envelope-From"
ENVELOPE_TO = "X-Envelope-To"


@dataclass(frozen=True)
class Mail:
    """One kept message: its envelope, the headers tests look at, and the raw bytes."""

    id: str
    envelope_from: str
    envelope_to: tuple[str, ...]
    sender: str
    to: tuple[str, ...]
    subject: str
    date: str
    message_id: str
    raw: bytes

    @classmethod
    def parse(cls, mail_id: str, raw: bytes) -> Mail:
        """Read a stored .eml (envelope headers first, then the message as received)."""
        message = email.message_from_bytes(raw, policy=email.policy.default)
        recipients = [*message.get_all("To", []), *message.get_all("Cc", [])]
        return cls(
            id=mail_id,
            envelope_from=str(message.get(ENVELOPE_FROM, "")),
            envelope_to=tuple(_split(str(message.get(ENVELOPE_TO, "")))),
            sender=str(message.get("From", "")),
            to=tuple(a for header in recipients for a in _split(str(header))),
            subject=str(message.get("Subject", "")),
            date=str(message.get("Date", "")),
            message_id=str(message.get("Message-ID", "")),
            raw=raw,
        )

    @property
    def message(self) -> EmailMessage:
        """The parsed message (modern policy: decoded headers, get_body())."""
        return email.message_from_bytes(self.raw, policy=email.policy.default)  # type: ignore[return-value]

    @property
    def text(self) -> str:
        """The plain-text body, or the HTML one when there is no plain text, decoded."""
        body = self.message.get_body(preferencelist=("plain", "html"))
        return body.get_content() if body is not None else ""


class Mailbox:
    """The sink's folder, read from disk so that any process (tests, CLI) sees the same messages."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def list(self) -> list[Mail]:
        """Every kept message, oldest first."""
        if not self.folder.is_dir():
            return []
        paths = sorted(p for p in self.folder.glob("*.eml") if not p.name.startswith("."))
        return [Mail.parse(p.stem, p.read_bytes()) for p in paths]

    def get(self, mail_id: str) -> Mail:
        """One message by id; KeyError if there is none."""
        path = self.folder / f"{mail_id}.eml"
        if "/" in mail_id or not path.is_file():
            raise KeyError(mail_id)
        return Mail.parse(mail_id, path.read_bytes())

    def clear(self) -> None:
        """Forget every kept message."""
        for path in self.folder.glob("*.eml"):
            path.unlink(missing_ok=True)

    # `timeout` rather than asyncio.timeout(): the name the tests of other packages call it by.
    async def wait_for(
        self,
        predicate: Callable[[Mail], bool] = lambda _: True,
        *,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> Mail:
        """The first message matching `predicate`; TimeoutError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            found = next((m for m in self.list() if predicate(m)), None)
            if found is not None:
                return found
            if time.monotonic() > deadline:
                raise TimeoutError(f"no matching message in {self.folder} after {timeout}s")
            await asyncio.sleep(0.05)

    def store(self, mail_id: str, raw: bytes) -> Path:
        """Write a message atomically: readers never see half a file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        final = self.folder / f"{mail_id}.eml"
        partial = self.folder / f".{mail_id}.eml.partial"
        with partial.open("wb") as file:
            file.write(raw)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, final)
        return final


def _split(addresses: str) -> list[str]:
    return [address for _, address in email.utils.getaddresses([addresses]) if address]
