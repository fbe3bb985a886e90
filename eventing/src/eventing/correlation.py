"""The correlation id of an HTTP request: the caller's when it is a safe token, else a new one.

A caller (an employer's payroll software, the gateway) may name its own id so that its logs and
ours can be joined. It reaches log lines and headers, so only a short run of harmless characters
is taken; anything else is dropped silently and replaced, never echoed.
"""

import re
from contextvars import ContextVar
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-correlation-id"
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
# Correlation ids that are not UUIDs map to one (events carry a UUID) the same way everywhere.
_NAMESPACE = uuid5(NAMESPACE_URL, "urn:idpro:correlation")
_current: ContextVar[tuple[str, str] | None] = ContextVar("correlation_id", default=None)


def accepted(value: str | None) -> str | None:
    """`value` when it is a safe correlation id (1–128 of A-Z a-z 0-9 . _ : -), else None."""
    return value if value is not None and _SAFE.fullmatch(value) else None


def current() -> UUID | None:
    """The correlation id of the HTTP request being answered, as events carry it."""
    if (ids := _current.get()) is None:
        return None
    value = ids[1]
    try:
        return UUID(value)
    except ValueError:
        return uuid5(_NAMESPACE, value)


def forwarded() -> dict[str, str]:
    """The request and correlation ids of the HTTP request being answered, as headers to pass on."""
    if (ids := _current.get()) is None:
        return {}
    return {"x-request-id": ids[0], HEADER: ids[1]}


class CorrelationMiddleware:
    """Binds the request id and the correlation id to every log line; echoes both back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        request_id = accepted(headers.get("x-request-id")) or str(uuid4())
        correlation_id = accepted(headers.get(HEADER)) or request_id

        async def send_with_ids(message: Message) -> None:
            if message["type"] == "http.response.start":
                ours = (b"x-request-id", HEADER.encode())
                message["headers"] = [
                    *((k, v) for k, v in message.get("headers", []) if k.lower() not in ours),
                    (b"x-request-id", request_id.encode()),
                    (HEADER.encode(), correlation_id.encode()),
                ]
            await send(message)

        token = _current.set((request_id, correlation_id))
        try:
            with structlog.contextvars.bound_contextvars(
                http_request_id=request_id, correlation_id=correlation_id
            ):
                await self.app(scope, receive, send_with_ids)
        finally:
            _current.reset(token)
