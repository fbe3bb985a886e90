"""Helpers shared by the embedded parts: ports, processes, coroutines run from sync code."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

T = TypeVar("T")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_open(host: str, port: int, *, timeout: float = 0.5) -> bool:
    """Whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def run_async(factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine on a private loop in a thread, whether or not a loop runs here."""
    # A fresh thread keeps start()/stop() usable from sync code, from pytest's session loop and
    # from an async `make up` orchestrator alike: asyncio.run() refuses to nest in a running loop.
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(factory())  # type: ignore[arg-type]
        except BaseException as error:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = error

    thread = threading.Thread(target=target, name="devstack-run-async", daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def terminate(process: subprocess.Popen[bytes], *, timeout: float = 5.0) -> int | None:
    """SIGTERM, then SIGKILL if the process has not exited within `timeout` seconds."""
    if process.poll() is not None:
        return process.returncode
    process.terminate()
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait(timeout)


def docker_answers(*, timeout: float = 2.0) -> bool:
    """Whether a Docker engine answers a ping right now (never hangs: bounded by `timeout`)."""
    try:
        import docker  # noqa: PLC0415 - optional; only the testcontainers path needs it

        client = docker.from_env(timeout=timeout)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # noqa: BLE001 - no engine, no socket, no SDK: all mean "no Docker"
        return False


class Managed:
    """start() on entering a `with` block, stop() on leaving it, whatever happened inside."""

    def start(self):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def stop(self) -> None:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@asynccontextmanager
async def serving(app: object) -> AsyncIterator[str]:
    """An ASGI app served by uvicorn on a loopback port of this event loop; its base URL.

    For tests where only real TCP shows the behaviour (pooled connections, early answers).
    """
    import uvicorn  # noqa: PLC0415 - tests only

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes only this flag
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
