"""One base for every background loop (relay, dispatcher, retention, reconciler, sweeper …): it
survives any exception, backs off with one backoff rule, and says whether it is alive and working;
and `until_done`, the same rule for one step a loop must see through (recording an outcome)."""

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from eventing.backoff import Backoff
from eventing.logs import get_logger

log = get_logger("eventing.workers")
T = TypeVar("T")

# A loop that failed this many rounds in a row is alive but not working: /ready says so.
FAILING_AFTER = 3


async def until_done(
    step: Callable[[], Awaitable[T]],
    *,
    backoff: Backoff,
    event: str,
    attempts: int | None = None,
) -> T:
    """`step()`, again after a backoff each time it raises, until it returns (a loop recording
    an outcome while the database blinks); after `attempts` failures the last error is raised.

    Each failure is logged as `event`, by error class (never its message: it may hold PII).
    """
    failures = 0
    while True:
        try:
            return await step()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            failures += 1
            log.warning(event, error_class=type(exc).__name__, failures=failures)
            if attempts is not None and failures >= attempts:
                raise
            await asyncio.sleep(backoff.delay(failures))


@dataclass(frozen=True)
class Health:
    alive: bool
    failures: int  # rounds failed in a row, now
    last_error: str | None  # the class of the last failure (never its message: it may hold PII)
    idle_s: float | None  # seconds since the last good round (None: none yet)

    @property
    def working(self) -> bool:
        return self.alive and self.failures < FAILING_AFTER

    def as_dict(self) -> dict:
        return {
            "alive": self.alive,
            "failures": self.failures,
            "last_error": self.last_error,
            "since_last_success_s": None if self.idle_s is None else round(self.idle_s, 1),
        }


class _Lane:
    """The state of one task of a loop."""

    def __init__(self) -> None:
        self.task: asyncio.Task[None] | None = None
        self.failures = 0
        self.last_error: str | None = None
        self.last_ok: float | None = None


class BackgroundLoop:
    """Repeats `step()`; waits in `idle()` when a round found nothing to do.

    Subclasses define `step` (True: more work may be waiting, go again at once) and may override
    `idle`, `on_start` and `on_stop`. An exception is logged by class and backed off; only
    cancellation ends the loop, so a dead task means a bug: liveness reports it.
    """

    def __init__(
        self,
        name: str,
        *,
        interval_s: float = 1.0,
        backoff: Backoff = Backoff(),  # noqa: B008 - frozen, shared safely
        concurrency: int = 1,
        grace_s: float = 10.0,
    ) -> None:
        self.name, self.interval_s, self.backoff = name, interval_s, backoff
        self.grace_s = grace_s
        self._lanes = [_Lane() for _ in range(concurrency)]
        self._stopping = asyncio.Event()

    async def step(self) -> bool:
        raise NotImplementedError

    async def idle(self) -> None:
        await asyncio.sleep(self.interval_s)

    async def on_start(self) -> None:
        """Called once before the tasks start; must not raise for an outage (retry in step)."""

    async def on_stop(self) -> None:
        """Called once after the tasks ended."""

    async def start(self) -> None:
        self._stopping.clear()
        await self.on_start()
        for n, lane in enumerate(self._lanes):
            lane.task = asyncio.create_task(self._run(lane), name=f"{self.name}-{n}")

    async def stop(self) -> None:
        """Let a round in progress finish (up to `grace_s`: a sent e-mail gets its mark), then
        cancel what is left."""
        self._stopping.set()
        tasks = [lane.task for lane in self._lanes if lane.task is not None]
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=self.grace_s)
            for task in late:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        for lane in self._lanes:
            lane.task = None
        await self.on_stop()

    def health(self) -> Health:
        worst = max(self._lanes, key=lambda lane: lane.failures)
        oks = [lane.last_ok for lane in self._lanes if lane.last_ok is not None]
        return Health(
            alive=all(lane.task is not None and not lane.task.done() for lane in self._lanes),
            failures=worst.failures,
            last_error=worst.last_error,
            idle_s=time.monotonic() - max(oks) if oks else None,
        )

    async def _run(self, lane: _Lane) -> None:
        while not self._stopping.is_set():
            try:
                busy = await self.step()
                lane.failures, lane.last_ok = 0, time.monotonic()
                if not busy:
                    await self._unless_stopping(self.idle())
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - every failure is survived, by design
                lane.failures += 1
                lane.last_error = type(exc).__name__
                log.warning(
                    "worker.failed",
                    worker=self.name,
                    error_class=lane.last_error,
                    failures=lane.failures,
                )
                await self._unless_stopping(asyncio.sleep(self.backoff.delay(lane.failures)))

    async def _unless_stopping(self, waiting) -> None:
        """Wait for `waiting`, or less when the loop is told to stop."""
        task = asyncio.ensure_future(waiting)
        stop = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for pending in (task, stop):
                pending.cancel()
        if task.done() and not task.cancelled() and task.exception() is not None:
            raise task.exception()


class Workers:
    """The background loops a service runs, started and stopped together.

    A worker of another shape (async start/stop, optionally alive()) is accepted too; it shows
    alive or dead only.
    """

    def __init__(self, *loops: BackgroundLoop) -> None:
        self.loops: list[BackgroundLoop] = list(loops)

    def add(self, loop: BackgroundLoop) -> BackgroundLoop:
        self.loops.append(loop)
        return loop

    async def start(self) -> None:
        for loop in self.loops:
            await loop.start()

    async def stop(self) -> None:
        for loop in reversed(self.loops):
            await loop.stop()

    def health(self) -> dict[str, Health]:
        return {_name(loop): _health(loop) for loop in self.loops}

    def alive(self) -> bool:
        return all(h.alive for h in self.health().values())


def _name(loop) -> str:
    return getattr(loop, "name", None) or type(loop).__name__.lower()


def _health(loop) -> Health:
    if isinstance(loop, BackgroundLoop):
        return loop.health()
    alive = loop.alive() if hasattr(loop, "alive") else True
    return Health(alive=alive, failures=0, last_error=None, idle_s=None)
