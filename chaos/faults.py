"""The faults, each an injector that starts after a lead time of load and returns when it ends."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncpg

from chaos.load import Ledger, Population, at_once
from chaos.stack import SERVICES, ChaosStack
from devstack.databases import to_asyncpg_dsn


@dataclass
class Context:
    stack: ChaosStack
    population: Population
    ledger: Ledger
    rng: random.Random
    compact: bool

    def size(self, full: float, compact: float) -> float:
        return compact if self.compact else full

    @property
    def gateway(self) -> str:
        return self.stack.system.url("gateway")


Injector = Callable[[Context], Awaitable[str]]  # returns a one-line description of what it did


async def _signals(ctx: Context, how: str) -> str:
    """Each service signalled several times at random instants of a window."""
    times = int(ctx.size(3, 1))
    window = ctx.size(40.0, 12.0)
    plan = sorted((ctx.rng.uniform(0, window), s) for s in SERVICES for _ in range(times))
    started = asyncio.get_running_loop().time()
    for at, service in plan:
        await asyncio.sleep(max(0.0, started + at - asyncio.get_running_loop().time()))
        (ctx.stack.kill if how == "kill" else ctx.stack.sigterm)(service)
    return f"{how} of each service ×{times} within {window:.0f} s"


async def kill(ctx: Context) -> str:
    return await _signals(ctx, "kill")


async def sigterm(ctx: Context) -> str:
    return await _signals(ctx, "sigterm")


async def postgres_stop(ctx: Context) -> str:
    seconds = ctx.size(30.0, 10.0)
    await asyncio.to_thread(ctx.stack.postgres.stop)
    await asyncio.sleep(seconds)
    await asyncio.to_thread(ctx.stack.postgres.start)
    return f"PostgreSQL stopped {seconds:.0f} s"


async def connections(ctx: Context) -> str:
    """Every connection of every service's database terminated every 0.5 s."""
    seconds = ctx.size(30.0, 15.0)
    admin = await asyncpg.connect(to_asyncpg_dsn(ctx.stack.postgres.admin_url))
    loop, terminated = asyncio.get_running_loop(), 0
    try:
        deadline = loop.time() + seconds
        while loop.time() < deadline:
            terminated += await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname LIKE 'idpro_%' AND pid <> pg_backend_pid()"
            )
            await asyncio.sleep(0.5)
    finally:
        await admin.close()
    return f"every connection terminated every 0.5 s for {seconds:.0f} s ({terminated} in all)"


async def smtp_down(ctx: Context) -> str:
    seconds = ctx.size(300.0, 30.0)
    await asyncio.to_thread(ctx.stack.sink.refuse_connections)
    await asyncio.sleep(seconds)
    await asyncio.to_thread(ctx.stack.sink.accept_connections)
    return f"SMTP refused connections for {seconds:.0f} s"


async def smtp_421(ctx: Context) -> str:
    seconds = ctx.size(60.0, 20.0)
    ctx.stack.sink.fail_for(seconds, code=421)
    await asyncio.sleep(seconds)
    return f"SMTP answered 421 to every message for {seconds:.0f} s"


async def broker_restart(ctx: Context) -> str:
    await asyncio.to_thread(ctx.stack.restart_broker)
    return "embedded broker restarted (memory storage: topics and offsets lost)"


async def same_key(ctx: Context) -> str:
    """The same Idempotency-Key and body posted 5 times at once, for several keys."""
    keys = int(ctx.size(20, 5))
    submissions = [ctx.population.submission() for _ in range(keys)]
    ctx.ledger.submissions += submissions
    await asyncio.gather(*(at_once(ctx.gateway, s, copies=5) for s in submissions))
    return f"{keys} keys each posted 5 times at once"


async def two_employers(ctx: Context) -> str:
    """The same new person submitted by two employers at the same moment."""
    pairs = int(ctx.size(20, 5))
    tokens = ctx.population.tokens
    work = []
    for _ in range(pairs):
        seed = 1_000_000 + ctx.population.count
        first = ctx.population.submission(person_seed=seed, token=tokens[0])
        second = ctx.population.submission(person_seed=seed, token=tokens[-1])
        ctx.ledger.submissions += [first, second]
        work += [at_once(ctx.gateway, first, copies=1), at_once(ctx.gateway, second, copies=1)]
    await asyncio.gather(*work)
    return f"{pairs} new persons each submitted by two employers at once"


FAULTS: dict[str, Injector] = {
    "kill": kill,
    "sigterm": sigterm,
    "postgres-stop": postgres_stop,
    "connections": connections,
    "smtp-down": smtp_down,
    "smtp-421": smtp_421,
    "broker-restart": broker_restart,
    "same-key": same_key,
    "two-employers": two_employers,
}
COMPACT = ("connections", "kill", "broker-restart")
