"""End-to-end load: N requests at a chosen rate through the gateway; latency from submit to
"number assigned" visible in history, and the sustained throughput."""

import argparse
import asyncio
import contextlib
import random
import statistics
import string
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx

from bench.report import print_table, write_json
from devstack._runtime import free_port
from devstack.system import DEFAULT_PORTS, Infrastructure, System
from gateway.devidp import DevIdentityProvider


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=20.0, help="submissions per second")
    parser.add_argument("--url", help="an already running gateway (e.g. http://127.0.0.1:8000)")
    parser.add_argument(
        "--key",
        type=Path,
        default=Path(".devstack/keys/dev-idp.pem"),
        help="the development IdP key of that gateway",
    )
    parser.add_argument("--timeout", type=float, default=120.0)
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


async def drive(base: str, token: str, args: argparse.Namespace) -> dict:
    headers = {"Authorization": f"Bearer {token}"}
    submitted: dict[str, float] = {}
    visible: dict[str, float] = {}
    errors: dict[int, int] = {}
    async with httpx.AsyncClient(
        base_url=base, timeout=30, limits=httpx.Limits(max_connections=100)
    ) as client:

        async def submit(i: int) -> None:
            started = time.perf_counter()
            r = await client.post(
                "/api/requests",
                json=person(i),
                headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
            )
            if r.status_code == 201:
                submitted[r.json()["id"]] = started
            else:
                errors[r.status_code] = errors.get(r.status_code, 0) + 1

        watcher = asyncio.create_task(watch(client, headers, submitted, visible))
        start = time.perf_counter()
        tasks = []
        for i in range(args.requests):
            await asyncio.sleep(max(0.0, start + i / args.rate - time.perf_counter()))
            tasks.append(asyncio.create_task(submit(i)))
        await asyncio.gather(*tasks)
        deadline = time.perf_counter() + args.timeout
        while len(visible) < len(submitted) and time.perf_counter() < deadline:  # noqa: ASYNC110 - the watcher fills `visible`
            await asyncio.sleep(0.2)
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
    return summarise(submitted, visible, errors=errors, start=start, args=args)


async def watch(client, headers, submitted: dict, visible: dict) -> None:
    """One poller over the employer's history list (most recent change first)."""
    while True:
        r = await client.get("/api/history/requests", params={"limit": 200}, headers=headers)
        now = time.perf_counter()
        if r.status_code == 200:
            body = r.json()
            for item in body["items"] if isinstance(body, dict) else body:
                rid = item["request_id"]
                if item["status"] == "number_assigned" and rid in submitted and rid not in visible:
                    visible[rid] = now
        await asyncio.sleep(0.05)


def summarise(
    submitted: dict, visible: dict, *, errors: dict[int, int], start: float, args
) -> dict:
    latencies = sorted((visible[r] - submitted[r]) * 1000 for r in visible)
    span = (max(visible.values()) - start) if visible else float("nan")

    def pct(q: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(q * len(latencies)))]
            if latencies
            else float("nan")
        )

    return {
        "requests": args.requests,
        "target_rate_per_s": args.rate,
        "submitted": len(submitted),
        "submit_errors": sum(errors.values()),
        "submit_errors_by_status": errors,
        "assigned_visible": len(visible),
        "latency_ms": {
            "p50": round(pct(0.50), 1),
            "p95": round(pct(0.95), 1),
            "p99": round(pct(0.99), 1),
            "mean": round(statistics.fmean(latencies), 1) if latencies else None,
            "max": round(latencies[-1], 1) if latencies else None,
        },
        "throughput_per_s": round(len(visible) / span, 1) if visible else 0.0,
        "note": "latency measured client-side: submit start → seen in GET /api/history/requests "
        "(polled every 50 ms, so figures carry up to ~50 ms of polling delay)",
    }


def embedded_system(state: Path, stack: contextlib.ExitStack) -> System:
    from devstack.broker import Broker
    from devstack.postgres import DISPOSABLE, EmbeddedPostgres
    from devstack.smtp import SmtpSink

    broker = stack.enter_context(Broker(log_dir=state / "logs"))
    postgres = stack.enter_context(EmbeddedPostgres(data_dir=state / "pgdata", settings=DISPOSABLE))
    sink = stack.enter_context(SmtpSink(folder=state / "mail"))
    system = System(
        infra=Infrastructure(broker.bootstrap, postgres.admin_url, sink.host, sink.port),
        state_dir=state,
        ports={name: free_port() for name in DEFAULT_PORTS},
        extra_env={name: {f"{name.upper()}_LOG_LEVEL": "WARNING"} for name in DEFAULT_PORTS}
        # One bench user sends what a whole population would: lift the per-user and
        # per-employer rate limits, which would otherwise answer 429 by design.
        | {
            "gateway": {
                "GATEWAY_LOG_LEVEL": "WARNING",
                "GATEWAY_RATE_USER_PER_MINUTE": "1000000",
                "GATEWAY_RATE_USER_BURST": "100000",
                "GATEWAY_RATE_EMPLOYER_PER_MINUTE": "1000000",
                "GATEWAY_RATE_EMPLOYER_BURST": "100000",
            }
        },
    )
    system.prepare()
    stack.callback(system.stop)
    system.start(timeout=90)
    return system


def main(argv: list[str] | None = None) -> dict:
    args = parse(argv)
    with contextlib.ExitStack() as stack:
        if args.url:
            base, key = args.url, args.key.read_text()
        else:
            state = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="idpro-bench-")))
            print("bench e2e: starting the embedded system …", flush=True)
            system = embedded_system(state, stack)
            base, key = system.url("gateway"), system.keys[0].read_text()
        idp = DevIdentityProvider(key, issuer="idpro-dev-idp", audience="idpro", ttl_s=3600)
        token = idp.mint(
            subject="bench", name="Bench", employer_id="0999999999", roles=["requester"]
        )
        print(f"bench e2e: {args.requests} requests at {args.rate}/s …", flush=True)
        result = asyncio.run(drive(base, token, args))
    print_table(
        "end to end: submit → number assigned visible in history",
        [
            ("requests submitted", result["submitted"]),
            ("visible as assigned", result["assigned_visible"]),
            ("submit errors", result["submit_errors"]),
            *((f"latency {k} (ms)", v) for k, v in result["latency_ms"].items()),
            ("throughput (req/s)", result["throughput_per_s"]),
        ],
    )
    write_json("e2e", result)
    return result


if __name__ == "__main__":
    main()
