"""End-to-end load: N requests at a chosen rate through the gateway; latency from submit to
"number assigned" visible in history, and the sustained throughput."""

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import string
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx

from bench import statements
from bench.cpu import CpuMeter
from bench.cpu_window import cpu_figures, idle_rates, settle
from bench.embedded import embedded_system, profile
from bench.report import print_table, write_json
from gateway.devidp import DevIdentityProvider


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench e2e", description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=20.0, help="submissions per second")
    parser.add_argument("--url", help="an already running gateway (e.g. http://127.0.0.1:8000)")
    parser.add_argument(
        "--kafka",
        help="that system's Kafka bootstrap servers (e.g. 127.0.0.1:19092), where the bench "
        "watches matching.number-assigned; without it, with --url, history is polled instead",
    )
    parser.add_argument(
        "--key",
        type=Path,
        default=Path(".devstack/keys/dev-idp.pem"),
        help="the development IdP key of that gateway",
    )
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument(
        "--warmup", type=int, default=20, help="requests sent (and awaited) before measuring"
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="a folder: py-spy records every service during the load (collapsed stacks); "
        "figures taken with it on carry py-spy's own CPU",
    )
    parser.add_argument(
        "--statements",
        action="store_true",
        help="count statements and commits per request per database (pg_stat_statements)",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=20.0,
        help="at most this many seconds after the last assignment for the other consumers "
        "(notifier, history, webhooks) to finish, inside the CPU window",
    )
    return parser.parse_args(argv)


def person(i: int) -> dict:
    """A distinct new person per request: a random letters-only name and a spread birth date, so
    matching's search finds nobody like them and allocates a BIS number (nothing for review)."""
    rng = random.Random(i)
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(45 * 365))
    return {
        "person": {
            "surnames": "".join(rng.choices(string.ascii_lowercase, k=9)).title(),
            "given_names": "".join(rng.choices(string.ascii_lowercase, k=7)).title(),
            "sex": "male" if i % 2 else "female",
            "birth_date": born.isoformat(),
            "birth_place": "Sofia",
            "birth_country": "BG",
            "nationality": "BG",
        },
        "residence": {
            "street": "ul. Vitosha",
            "number": str(1 + i % 200),
            "postal_code": "1000",
            "city": "Sofia",
            "country": "BG",
        },
        "notification_email": "bench@example.be",
        "language": ("fr", "nl", "de", "en")[i % 4],
    }


@dataclass
class Observed:
    """When each request was submitted and when its NumberAssigned was produced and seen."""

    submitted: dict[str, float] = field(default_factory=dict)  # perf_counter at submit start
    submitted_wall: dict[str, float] = field(default_factory=dict)  # time.time() at submit start
    seen: dict[str, float] = field(default_factory=dict)  # perf_counter when the watcher read it
    produced: dict[str, float] = field(default_factory=dict)  # the record's timestamp (s)
    errors: dict[int | str, int] = field(default_factory=dict)

    def reset(self) -> None:
        for values in (self.submitted, self.submitted_wall, self.seen, self.produced, self.errors):
            values.clear()

    def assigned(self) -> list[str]:
        return [rid for rid in self.submitted if rid in self.seen]


async def drive(
    base: str,
    token: str,
    args: argparse.Namespace,
    *,
    kafka: str | None,
    meter: CpuMeter | None,
    on_measure=None,
    admin_url: str | None = None,
) -> dict:
    headers = {"Authorization": f"Bearer {token}"}
    seen = Observed()
    async with httpx.AsyncClient(
        base_url=base, timeout=30, limits=httpx.Limits(max_connections=100)
    ) as client:

        async def submit(i: int) -> None:
            started, wall = time.perf_counter(), time.time()
            try:
                r = await client.post(
                    "/api/requests",
                    json=person(i),
                    headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
                )
            except httpx.HTTPError as exc:  # e.g. a timeout on a saturated machine: counted
                seen.errors[type(exc).__name__] = seen.errors.get(type(exc).__name__, 0) + 1
                return
            if r.status_code == 201:
                rid = r.json()["id"]
                seen.submitted[rid], seen.submitted_wall[rid] = started, wall
            else:
                seen.errors[r.status_code] = seen.errors.get(r.status_code, 0) + 1

        if kafka:
            ready = asyncio.Event()
            watcher = asyncio.create_task(watch_topic(kafka, seen, ready))
            await asyncio.wait_for(ready.wait(), 30)
        else:
            watcher = asyncio.create_task(watch_history(client, headers, seen))
        # Warm up: consumer groups settle, pools fill, code paths get hot; not measured.
        warm = [asyncio.create_task(submit(-1 - i)) for i in range(args.warmup)]
        await asyncio.gather(*warm)
        warm_deadline = time.perf_counter() + args.timeout
        while len(seen.assigned()) < len(seen.submitted) and time.perf_counter() < warm_deadline:  # noqa: ASYNC110 - the watcher fills `seen`
            await asyncio.sleep(0.05)
        await settle(meter, {}, budget_s=args.settle)
        seen.reset()
        if on_measure is not None:  # e.g. the profiler: the measured part only, not warm-up
            on_measure(3.0 + args.requests / args.rate + 5.0)
        idle = await idle_rates(meter)
        commits = await statements.reset(admin_url) if admin_url else {}
        before = meter.read() if meter else {}
        start = time.perf_counter()
        tasks = []
        for i in range(args.requests):
            await asyncio.sleep(max(0.0, start + i / args.rate - time.perf_counter()))
            tasks.append(asyncio.create_task(submit(i)))
        await asyncio.gather(*tasks)
        submit_span = time.perf_counter() - start
        deadline = time.perf_counter() + args.timeout
        while len(seen.assigned()) < len(seen.submitted) and time.perf_counter() < deadline:  # noqa: ASYNC110 - the watcher fills `seen`
            await asyncio.sleep(0.05)
        last = max((seen.seen[r] for r in seen.assigned()), default=time.perf_counter())
        await settle(meter, idle, budget_s=args.settle)
        after = meter.read() if meter else {}
        counted = (
            await statements.read(admin_url, commits, count=len(seen.seen)) if admin_url else None
        )
        window = time.perf_counter() - start
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
    result = summarise(seen, start=start, last=last, submit_span=submit_span, args=args)
    if meter:
        # Every number assigned in the window counts, also of a submit whose answer timed out
        # on the client (the system did that work all the same).
        result["cpu"] = cpu_figures(before, after, idle, window=window, count=len(seen.seen))
    if counted is not None:
        result["statements"] = counted
    return result


async def watch_topic(bootstrap: str, seen: Observed, ready: asyncio.Event) -> None:
    """Read matching.number-assigned from its end, with no consumer group: the system under
    test serves nothing extra (one more fetcher at the broker, no HTTP, no database)."""
    from aiokafka import AIOKafkaConsumer, TopicPartition  # noqa: PLC0415

    from contracts import NumberAssigned  # noqa: PLC0415

    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=100
    )
    await consumer.start()
    try:
        await consumer.topics()
        partitions = [
            TopicPartition(NumberAssigned.topic, p)
            for p in consumer.partitions_for_topic(NumberAssigned.topic) or ()
        ]
        consumer.assign(partitions)
        await consumer.seek_to_end(*partitions)
        for tp in partitions:
            await consumer.position(tp)  # resolves the end now, before the first submit
        ready.set()
        while True:
            batch = await consumer.getmany(timeout_ms=1000)
            now = time.perf_counter()
            for records in batch.values():
                for record in records:
                    rid = json.loads(record.value)["request_id"]
                    seen.seen.setdefault(rid, now)
                    # The producer's clock when matching's relay sent it (CreateTime).
                    seen.produced.setdefault(rid, record.timestamp / 1000)
    finally:
        await consumer.stop()


async def watch_history(client, headers, seen: Observed) -> None:
    """Without the broker's address: one poller over the employer's history list (adds load)."""
    while True:
        r = await client.get("/api/history/requests", params={"limit": 200}, headers=headers)
        now = time.perf_counter()
        if r.status_code == 200:
            body = r.json()
            for item in body["items"] if isinstance(body, dict) else body:
                if item["status"] == "number_assigned":
                    seen.seen.setdefault(item["request_id"], now)
        await asyncio.sleep(0.05)


def summarise(seen: Observed, *, start: float, last: float, submit_span: float, args) -> dict:
    assigned = seen.assigned()
    latencies = sorted((seen.seen[r] - seen.submitted[r]) * 1000 for r in assigned)
    at_event = sorted(
        (seen.produced[r] - seen.submitted_wall[r]) * 1000 for r in assigned if r in seen.produced
    )

    def pct(values: list[float], q: float) -> float | None:
        return round(values[min(len(values) - 1, int(q * len(values)))], 1) if values else None

    def figures(values: list[float]) -> dict:
        return {
            "p50": pct(values, 0.50),
            "p95": pct(values, 0.95),
            "p99": pct(values, 0.99),
            "mean": round(statistics.fmean(values), 1) if values else None,
            "max": round(values[-1], 1) if values else None,
        }

    span = last - start
    return {
        "requests": args.requests,
        "target_rate_per_s": args.rate,
        "offered_rate_per_s": round(len(seen.submitted) / submit_span, 1) if submit_span else 0,
        "submitted": len(seen.submitted),
        "submit_errors": sum(seen.errors.values()),
        "submit_errors_by_status": seen.errors,
        "assigned": len(assigned),
        "assigned_all": len(seen.seen),
        "latency_ms": figures(latencies),
        "latency_at_event_ms": figures(at_event),
        "throughput_per_s": round(len(assigned) / span, 1) if assigned and span > 0 else 0.0,
        "note": "latency_ms: submit start -> NumberAssigned read by the bench's own consumer of "
        "matching.number-assigned (no group); latency_at_event_ms: submit start -> the record's "
        "producer timestamp (matching's relay sending it); throughput: assigned / (last "
        "assignment - first submit)",
    }


def main(argv: list[str] | None = None) -> dict:
    args = parse(argv)
    with contextlib.ExitStack() as stack:
        meter, kafka, on_measure, admin_url = None, args.kafka, None, None
        if args.url:
            base, key = args.url, args.key.read_text()
        else:
            state = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="idpro-bench-")))
            print("bench e2e: starting the embedded system …", flush=True)
            pg_settings = statements.PRELOAD if args.statements else {}
            system, pids = embedded_system(state, stack, pg_settings=pg_settings)
            admin_url = system.infra.postgres_admin_url if args.statements else None
            base, key = system.url("gateway"), system.keys[0].read_text()
            kafka, meter = system.infra.kafka_bootstrap, CpuMeter(pids)
            if args.profile:
                spies: list = []
                stack.callback(lambda: [spy.wait() for spy in spies])

                def on_measure(seconds: float) -> None:
                    spies.extend(profile(pids, args.profile, seconds))

        idp = DevIdentityProvider(key, issuer="idpro-dev-idp", audience="idpro", ttl_s=3600)
        token = idp.mint(
            subject="bench", name="Bench", employer_id="0999999999", roles=["requester"]
        )
        print(f"bench e2e: {args.requests} requests at {args.rate}/s …", flush=True)
        result = asyncio.run(
            drive(
                base,
                token,
                args,
                kafka=kafka,
                meter=meter,
                on_measure=on_measure if args.profile and not args.url else None,
                admin_url=admin_url,
            )
        )
    print_table(
        "end to end: submit → number assigned",
        [
            ("requests submitted", result["submitted"]),
            ("offered rate (req/s)", result["offered_rate_per_s"]),
            ("assigned", result["assigned"]),
            ("assigned, also of timed-out submits", result["assigned_all"]),
            ("submit errors", result["submit_errors"]),
            *((f"latency {k} (ms)", v) for k, v in result["latency_ms"].items()),
            *((f"at the event {k} (ms)", v) for k, v in result["latency_at_event_ms"].items()),
            ("sustained (assigned/s)", result["throughput_per_s"]),
        ],
    )
    if "cpu" in result:
        cpu = result["cpu"]
        print_table(
            f"CPU ms per request (window {cpu['window_s']} s, load average "
            f"{' '.join(f'{x:.2f}' for x in cpu['load_average'])})",
            [
                *(
                    (name, f"{ms:7.2f}   (idle {cpu['idle_ms_per_s'][name]} ms/s)")
                    for name, ms in cpu["per_request_ms"].items()
                ),
                ("system (services + postgres + broker)", cpu["system_per_request_ms"]),
            ],
        )
    for name, figures in result.get("statements", {}).items():
        print_table(
            f"{name}: {figures['statements_per_request']} statements, "
            f"{figures['commits_per_request']} commits per request",
            [(f"{calls:6.2f}", query) for calls, query in figures["top"]],
        )
    write_json("e2e", result)
    return result


if __name__ == "__main__":
    main()
