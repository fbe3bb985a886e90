"""The system under test: its own broker, PostgreSQL, SMTP sink and five services on free ports,
with a supervisor that restarts a service that exited or failed liveness (as Kubernetes would)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from devstack._runtime import free_port
from devstack.broker import Broker
from devstack.postgres import DISPOSABLE, EmbeddedPostgres
from devstack.smtp import SmtpSink
from devstack.system import DEFAULT_PORTS, Infrastructure, System

SERVICES = ("intake", "matching", "notifier", "history", "gateway")
LIVENESS_FAILURES = 3  # consecutive failed /health probes before the process is replaced
STARTUP_PROBES = 60  # a restarted process gets ~30 s (60 rounds) to answer /health at all


def system_env() -> dict[str, dict[str, str]]:
    """Quiet logs; rate limits lifted (the load is a whole population's, from a few users)."""
    env = {name: {f"{name.upper()}_LOG_LEVEL": "WARNING"} for name in DEFAULT_PORTS}
    env["gateway"] |= {
        "GATEWAY_RATE_USER_PER_MINUTE": "1000000",
        "GATEWAY_RATE_USER_BURST": "100000",
        "GATEWAY_RATE_EMPLOYER_PER_MINUTE": "1000000",
        "GATEWAY_RATE_EMPLOYER_BURST": "100000",
    }
    return env


@dataclass
class ChaosStack:
    state_dir: Path
    partitions: int = 3
    broker: Broker = field(init=False)
    postgres: EmbeddedPostgres = field(init=False)
    sink: SmtpSink = field(init=False)
    system: System = field(init=False)
    restarts: dict[str, int] = field(default_factory=dict)
    _supervisor: asyncio.Task | None = None
    liveness_kills: dict[str, int] = field(default_factory=dict)
    _paused: set[str] = field(default_factory=set)
    _failures: dict[str, int] = field(default_factory=dict)
    # (monotonic time, service, "restarted" | "ready"): when each replaced process answered
    # /ready again, for the recovery's timeline
    events: list[tuple[float, str, str]] = field(default_factory=list)
    _unready: set[str] = field(default_factory=set)

    def start(self) -> ChaosStack:
        logs = self.state_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        self.broker = Broker(log_dir=logs).start()
        self.postgres = EmbeddedPostgres(
            data_dir=self.state_dir / "pgdata", settings=DISPOSABLE
        ).start()
        self.sink = SmtpSink(folder=self.state_dir / "mail").start()
        infra = Infrastructure(
            self.broker.bootstrap, self.postgres.admin_url, self.sink.host, self.sink.port
        )
        self.system = System(
            infra=infra,
            state_dir=self.state_dir,
            ports={name: free_port() for name in DEFAULT_PORTS},
            partitions=self.partitions,
            extra_env=system_env(),
        )
        self.system.prepare()
        self.system.start(timeout=180)
        return self

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.system.stop()
        for part in ("sink", "broker", "postgres"):
            with contextlib.suppress(Exception):
                getattr(self, part).stop()

    # -- the supervisor -------------------------------------------------------------------

    async def supervise(self) -> None:
        self._supervisor = asyncio.create_task(self._supervise(), name="chaos-supervisor")

    async def unsupervise(self) -> None:
        if self._supervisor:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor

    async def _supervise(self) -> None:
        async with httpx.AsyncClient(timeout=2.0) as client:
            while True:
                for service in SERVICES:
                    await self._check(client, service)
                await asyncio.sleep(0.5)

    async def _check(self, client: httpx.AsyncClient, service: str) -> None:
        process = self.system.processes.get(service)
        if service in self._paused or process is None:
            return
        if process.poll() is not None:
            await self._restart(service)
            self._failures[service] = -STARTUP_PROBES  # no liveness verdict while it starts
            return
        try:
            healthy = (await client.get(f"{self.system.url(service)}/health")).status_code == 200
        except httpx.HTTPError:
            healthy = False
        if healthy:
            self._failures[service] = 0
            if service in self._unready:
                await self._note_ready(client, service)
            return
        self._failures[service] = self._failures.get(service, 0) + 1
        if self._failures[service] >= LIVENESS_FAILURES:
            self.liveness_kills[service] = self.liveness_kills.get(service, 0) + 1
            process.kill()  # failed liveness: replaced at the next round

    async def _note_ready(self, client: httpx.AsyncClient, service: str) -> None:
        try:
            ready = (await client.get(f"{self.system.url(service)}/ready")).status_code == 200
        except httpx.HTTPError:
            ready = False
        if ready:
            self._unready.discard(service)
            self.events.append((time.monotonic(), service, "ready"))

    async def _restart(self, service: str) -> None:
        self.restarts[service] = self.restarts.get(service, 0) + 1
        self.events.append((time.monotonic(), service, "restarted"))
        self._unready.add(service)
        log_file = self.state_dir / "logs" / f"{service}.log"
        await asyncio.to_thread(self.system.start_service, service, log_file=log_file)

    # -- fault primitives -----------------------------------------------------------------

    def signal(self, service: str, signum: int) -> None:
        process = self.system.processes[service]
        if process.poll() is None:
            os.kill(process.pid, signum)

    def kill(self, service: str) -> None:
        self.signal(service, signal.SIGKILL)

    def sigterm(self, service: str) -> None:
        self.signal(service, signal.SIGTERM)

    def restart_broker(self) -> None:
        """Stop and start the embedded broker on the same port: memory storage, topics lost."""
        self.broker.stop()
        self.broker.start()

    async def ready(self) -> dict[str, bool]:
        """Each service's /ready answer right now."""
        states = {}
        async with httpx.AsyncClient(timeout=3.0) as client:
            for service in SERVICES:
                try:
                    response = await client.get(f"{self.system.url(service)}/ready")
                    states[service] = response.status_code == 200
                except httpx.HTTPError:
                    states[service] = False
        return states


def monotonic() -> float:
    return time.monotonic()
