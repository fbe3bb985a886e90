"""CPU per request over a load's window: each process's rate at rest, waiting until the system is
at rest again, and the figures (utime+stime per process tree, divided by the work done)."""

import asyncio
import os
import time

from bench.cpu import CpuMeter


async def idle_rates(meter: CpuMeter | None, *, span_s: float = 3.0) -> dict[str, float]:
    """CPU seconds per second of each process at rest (polling loops, health checks)."""
    if meter is None:
        return {}
    first, started = meter.read(), time.perf_counter()
    await asyncio.sleep(span_s)
    second, span = meter.read(), time.perf_counter() - started
    return {name: (second[name] - first[name]) / span for name in first}


async def settle(meter: CpuMeter | None, idle: dict[str, float], *, budget_s: float) -> None:
    """Wait until the system is back at rest (at most budget_s): the work every request causes
    after its assignment (e-mail, timeline, webhooks) belongs to its CPU cost."""
    if meter is None:
        return
    deadline = time.perf_counter() + budget_s
    at_rest = sum(idle.values()) * 1.5 + 0.05
    previous, since = meter.read(), time.perf_counter()
    while time.perf_counter() < deadline:
        await asyncio.sleep(0.5)
        now, at = meter.read(), time.perf_counter()
        rate = sum(now[n] - previous[n] for n in now) / (at - since)
        if rate <= at_rest:
            return
        previous, since = now, at


def cpu_figures(
    before: dict[str, float],
    after: dict[str, float],
    idle: dict[str, float],
    *,
    window: float,
    count: int,
) -> dict:
    per_request = {
        name: round((after[name] - before[name]) * 1000 / max(count, 1), 2) for name in before
    }
    system = sum(v for n, v in per_request.items() if n in SYSTEM_PARTS)
    return {
        "window_s": round(window, 1),
        "per_request_ms": per_request,
        "system_per_request_ms": round(system, 1),
        "idle_ms_per_s": {name: round(rate * 1000, 1) for name, rate in idle.items()},
        "load_average": os.getloadavg(),
        "note": "utime+stime per process tree over the window from the first submit until the "
        "system is at rest again, divided by the numbers assigned in it; idle_ms_per_s is what each "
        "process spends at rest (included in the window)",
    }


SYSTEM_PARTS = (
    "gateway", "intake", "matching", "notifier", "history", "webhooks", "postgres", "broker",
)  # fmt: skip
