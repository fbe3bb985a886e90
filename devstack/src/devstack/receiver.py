"""A real HTTP server that receives webhooks: it keeps every request and answers as it is told.

Tests start it on 127.0.0.1 (uvicorn, in their own event loop) and script each path: fail a few
times then recover, answer slowly, say 410 Gone, send a Retry-After.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn

from devstack._runtime import free_port


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.monotonic() when the request arrived
    status: int  # what the receiver answered
    concurrent: int  # requests to this path in progress when it arrived, itself included


@dataclass
class Script:
    """Statuses to answer first, in order, then `then`; every answer after `delay_s`."""

    first: deque[int] = field(default_factory=deque)
    then: int = 200
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


class WebhookReceiver:
    def __init__(
        self, *, host: str = "127.0.0.1", port: int | None = None, journal: Path | None = None
    ) -> None:
        self.host, self.port = host, port or free_port(host)
        # One JSON line per request (wall-clock time): how another process reads what arrived.
        self.journal = journal.open("a", buffering=1) if journal else None
        self.received: list[Received] = []
        self.scripts: dict[str, Script] = {}
        self.in_progress: dict[str, int] = {}
        self._changed = asyncio.Condition()
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def script(
        self,
        path: str,
        *first: int,
        then: int = 200,
        delay_s: float = 0.0,
        headers: dict[str, str] | None = None,
    ) -> str:
        """Answer `first` statuses in turn, then `then`; the path's URL."""
        self.scripts[path] = Script(deque(first), then, delay_s, dict(headers or {}))
        return self.url(path)

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    async def wait_for(
        self,
        predicate: Callable[[list[Received]], bool],
        *,
        within: float = 30.0,
    ) -> list[Received]:
        """Every request so far, once `predicate(received)` holds; fail after `within` seconds."""
        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: predicate(self.received)), within
                )
            except TimeoutError:
                raise AssertionError(
                    f"receiver: condition not met within {within}s ({len(self.received)} received)"
                ) from None
        return list(self.received)

    async def __aenter__(self) -> WebhookReceiver:
        config = uvicorn.Config(
            self._app,
            host=self.host,
            port=self.port,
            lifespan="off",
            interface="asgi3",
            log_config=None,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(), name="webhook-receiver")
        while not self._server.started:
            if self._task.done():
                await self._task  # raises why it could not start
            await asyncio.sleep(0.01)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._task, 5)

    async def _app(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        arrived = time.monotonic()
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        script = self.scripts.get(scope["path"], Script())
        status = script.first.popleft() if script.first else script.then
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        path = scope["path"]
        self.in_progress[path] = self.in_progress.get(path, 0) + 1
        # Recorded on arrival: a test sees a slow receiver's requests while they are held.
        async with self._changed:
            received = Received(path, headers, body, arrived, status, self.in_progress[path])
            self.received.append(received)
            self._changed.notify_all()
        if self.journal is not None:
            line = {"path": path, "at": time.time(), "status": status, "body": body.decode()}
            self.journal.write(json.dumps(line) + "\n")
        try:
            if script.delay_s:
                await asyncio.sleep(script.delay_s)
        finally:
            self.in_progress[path] -= 1
        reply = [(k.encode(), v.encode()) for k, v in script.headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": reply})
        await send({"type": "http.response.body", "body": b""})


def main(argv: list[str] | None = None) -> None:
    """Run a receiver until SIGTERM: `idpro-webhook-receiver --port 8123 --journal j.jsonl
    --script '{"/slow": {"delay_s": 3}, "/down": {"then": 500}}'`."""
    parser = argparse.ArgumentParser(prog="idpro-webhook-receiver", description=main.__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--journal", type=Path)
    parser.add_argument("--script", default="{}", help="JSON: path -> {then, delay_s, first}")
    args = parser.parse_args(argv)

    async def serve() -> None:
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        async with WebhookReceiver(port=args.port, journal=args.journal) as receiver:
            for path, how in json.loads(args.script).items():
                receiver.script(path, *how.get("first", ()), then=how.get("then", 200),
                                delay_s=how.get("delay_s", 0.0))  # fmt: skip
            print(f"receiving on {receiver.url('/')}", flush=True)
            await stop.wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
