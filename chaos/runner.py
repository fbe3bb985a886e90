"""One phase: load, a fault during it, then wait for recovery and check everything."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

from chaos.checker import Findings, judge, read_stores, read_topics, settled
from chaos.faults import FAULTS, Context
from chaos.load import Ledger, Population, drive
from chaos.stack import ChaosStack

SENDER = "notifier"  # the only process that claims, sends and marks e-mails


@dataclass
class Phase:
    fault: str
    did: str
    findings: Findings
    recovery_s: float | None  # None: not settled within the deadline
    restarts: dict[str, int]
    # (seconds after the fault ended, never decided, e-mails missing, outbox rows unsent,
    # intake≠history) at each change while the system recovered: where the time went.
    timeline: list[tuple[float, int, int, int, int]] = field(default_factory=list)
    load_ended_s: float | None = None  # the client's last answer, seconds after the fault ended
    # service → seconds after the fault ended when its last replacement answered /ready
    ready_s: dict[str, float] = field(default_factory=dict)
    # (seconds after the fault ended, service, "restarted" | "ready"): the supervisor's log
    events: list[tuple[float, str, str]] = field(default_factory=list)


async def run_phase(
    stack: ChaosStack,
    population: Population,
    fault: str,
    *,
    requests: int,
    rate: float,
    lead_s: float,
    settle_s: float,
    compact: bool,
    seed: int,
) -> Phase:
    """Drive `requests` at `rate`, inject `fault` after `lead_s`, then measure the recovery."""
    loop = asyncio.get_running_loop()
    ledger = Ledger([population.submission() for _ in range(requests)])
    ctx = Context(stack, population, ledger, random.Random(seed), compact)
    restarts_before = dict(stack.restarts)
    events_before = len(stack.events)
    _, dlq_before = await read_topics(stack.broker.bootstrap)
    load = asyncio.create_task(
        drive(stack.system.url("gateway"), list(ledger.submissions), rate=rate)
    )
    await asyncio.sleep(lead_s)
    did = await FAULTS[fault](ctx)
    fault_ended = loop.time()
    await load
    load_ended = loop.time() - fault_ended
    timeline: list[tuple[float, int, int, int, int]] = []
    findings, recovered = await _await_recovery(
        stack, ledger, deadline=loop.time() + settle_s, since=fault_ended, timeline=timeline
    )
    recovery = (recovered - fault_ended) if recovered is not None else None
    stores = await read_stores(
        stack.system.database_urls, stack.sink.folder, list(ledger.accepted())
    )
    topics, dlq = await read_topics(stack.broker.bootstrap)
    restarts = {s: n - restarts_before.get(s, 0) for s, n in stack.restarts.items()}
    findings = judge(ledger, stores, topics, sender_died=restarts.get(SENDER, 0) > 0)
    findings.dlq_entries = dlq - dlq_before
    events = [(round(t - fault_ended, 1), s, what) for t, s, what in stack.events[events_before:]]
    ready = {s: t for t, s, what in events if what == "ready"}
    return Phase(
        fault, did, findings, recovery, {s: n for s, n in restarts.items() if n},
        timeline=timeline, load_ended_s=load_ended, ready_s=ready, events=events,
    )  # fmt: skip


async def _await_recovery(
    stack: ChaosStack,
    ledger: Ledger,
    *,
    deadline: float,
    since: float,
    timeline: list[tuple[float, int, int, int, int]],
) -> tuple[Findings, float | None]:
    loop = asyncio.get_running_loop()
    while True:
        try:
            stores = await read_stores(
                stack.system.database_urls, stack.sink.folder, list(ledger.accepted())
            )
        except (OSError, Exception):  # noqa: BLE001 - the checker outlives a store still down
            stores = None
        if stores is not None:
            findings = judge(ledger, stores)
            left = (findings.never_decided, findings.emails_missing, findings.outbox_stuck,
                    findings.mismatches)  # fmt: skip
            if not timeline or timeline[-1][1:] != left:
                timeline.append((round(loop.time() - since, 1), *left))
            if settled(findings):
                return findings, loop.time()
        if loop.time() > deadline:
            return findings if stores is not None else Findings(), None
        await asyncio.sleep(1.0)
