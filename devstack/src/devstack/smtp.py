"""An SMTP sink for development and tests: keeps every message, can fail on demand."""

from __future__ import annotations

import asyncio
import itertools
import logging
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from devstack._runtime import Managed, free_port
from devstack.mailbox import ENVELOPE_FROM, ENVELOPE_TO, Mail, Mailbox

__all__ = ["Mail", "Mailbox", "SmtpSink"]

log = logging.getLogger(__name__)

Stage = Literal["RCPT", "DATA"]


@dataclass
class _Fault:
    stage: Stage
    remaining: int  # replies left to give; or, with `until`, any number until then
    reply: str
    until: float | None = None
    to: str | None = None  # only for this recipient (any when None)


class _KeepingHandler:
    """aiosmtpd handler: answers injected faults first, else stores the message."""

    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(  # noqa: N802 - name fixed by aiosmtpd
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        fault = self.sink._take_fault("RCPT", [address])
        if fault:
            _hang_up_after(server, fault)
            return fault
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - name fixed by aiosmtpd
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        fault = self.sink._take_fault("DATA", envelope.rcpt_tos)
        if fault:
            _hang_up_after(server, fault)
            return fault
        mail = self.sink._keep(envelope, session)
        return f"250 Message accepted as {mail.id}"


class SmtpSink(Managed):
    """An aiosmtpd server on host:port that writes each message to `folder` as an .eml file."""

    def __init__(
        self, *, port: int | None = None, host: str = "127.0.0.1", folder: Path | None = None
    ) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="idpro-mail-"))
        self.mailbox = Mailbox(self.folder)
        self.received: list[Mail] = []
        # The client end (host, port) of the SMTP session each received message came over.
        self.sessions: list[tuple] = []
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._controller: Controller | None = None

    @property
    def running(self) -> bool:
        """Whether the sink accepts connections now."""
        return self._controller is not None

    def start(self) -> SmtpSink:
        """Listen (in aiosmtpd's own thread) and return once the server answers."""
        if self._controller is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            controller = Controller(
                _KeepingHandler(self), hostname=self.host, port=self.port,
                enable_SMTPUTF8=True, ready_timeout=10.0,
            )  # fmt: skip
            controller.start()
            self._controller = controller
            log.info("smtp sink on %s:%s keeping mail in %s", self.host, self.port, self.folder)
        return self

    def stop(self) -> None:
        """Stop listening; kept messages stay."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def refuse_connections(self) -> None:
        """Simulate an unreachable relay: nothing listens on the port until accept_connections()."""
        self.stop()

    def accept_connections(self) -> None:
        """Listen again on the same port after refuse_connections()."""
        self.start()

    def fail_next(
        self, count: int = 1, *, code: int = 421, text: str = "Service not available, try later",
        stage: Stage = "DATA", to: str | None = None,
    ) -> None:  # fmt: skip
        """Answer the next `count` DATA (or RCPT) commands with `code text` instead of accepting
        (only those of messages to `to`, when given)."""
        with self._lock:
            self._faults.append(_Fault(stage, count, f"{code} {text}", to=to))

    def fail_for(
        self, seconds: float, *, code: int = 421, text: str = "Service not available, try later",
        stage: Stage = "DATA",
    ) -> None:  # fmt: skip
        """Answer every DATA (or RCPT) command with `code text` for the next `seconds`."""
        with self._lock:
            self._faults.append(
                _Fault(stage, 1, f"{code} {text}", until=time.monotonic() + seconds)
            )

    def clear(self) -> None:
        """Forget kept messages and pending faults."""
        with self._lock:
            self._faults.clear()
            self.received.clear()
            self.sessions.clear()
        self.mailbox.clear()

    def _take_fault(self, stage: Stage, recipients: list[str]) -> str | None:
        with self._lock:
            now = time.monotonic()
            self._faults = [f for f in self._faults if f.until is None or f.until > now]
            fault = next(
                (
                    f
                    for f in self._faults
                    if f.stage == stage and f.remaining > 0 and f.to in (None, *recipients)
                ),
                None,
            )
            if fault is None:
                return None
            if fault.until is not None:
                return fault.reply
            fault.remaining -= 1
            if fault.remaining == 0:
                self._faults.remove(fault)
            return fault.reply

    def _keep(self, envelope: Envelope, session: Session) -> Mail:
        mail_id = f"{time.time_ns()}-{next(self._ids):06d}"
        envelope_headers = (
            f"{ENVELOPE_FROM}: {envelope.mail_from}\r\n"
            f"{ENVELOPE_TO}: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        raw = envelope_headers + _as_bytes(envelope.original_content or envelope.content)
        self.mailbox.store(mail_id, raw)
        mail = Mail.parse(mail_id, raw)
        with self._lock:
            self.received.append(mail)
            self.sessions.append(tuple(session.peer or ()))
        return mail


def _hang_up_after(server: SMTP, reply: str) -> None:
    """A 421 means the server closes the channel (RFC 5321 3.8): do so once the reply is out."""
    if reply.startswith("421") and server.transport is not None:
        # Delayed so the reply is written first; close() then flushes it before disconnecting.
        asyncio.get_running_loop().call_later(0.05, server.transport.close)


def _as_bytes(content: bytes | str | None) -> bytes:
    if content is None:
        return b""
    return content if isinstance(content, bytes) else content.encode("utf-8")
