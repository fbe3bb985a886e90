"""Consumer group rejoin benchmark: a group's only member is killed (kill -9) or stopped (SIGTERM)
and a new process joins the same group; the seconds until the new member has partitions, per
membership setting, on the embedded broker (Tansu). This is what a service restart costs before
its consumer reads again (chaos's kill fault restarts each service three times).

Each member is a separate Python process (its start-up is in the figure, as in a real restart).

`python -m bench.rejoin [--trials 1]`
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid

from bench.report import print_table, write_json
from devstack.broker import Broker, create_topics

SETTINGS = {
    "aiokafka default (session 10 s, heartbeat 3 s)": {},
    "session 6 s, heartbeat 1 s (eventing's default)": {
        "session_timeout_ms": 6000, "heartbeat_interval_ms": 1000,
    },
    "session 6 s, heartbeat 1 s, static member (devstack)": {
        "session_timeout_ms": 6000, "heartbeat_interval_ms": 1000, "group_instance_id": "member-0",
    },
}  # fmt: skip

MEMBER = """
import asyncio, json, signal, sys, time
from aiokafka import AIOKafkaConsumer

async def main(bootstrap, group, topic, options):
    started = time.monotonic()
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group,
                                enable_auto_commit=False, **json.loads(options))
    await consumer.start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    told = False
    while not stop.is_set():
        await consumer.getmany(timeout_ms=100)
        if consumer.assignment() and not told:
            print(json.dumps({"assigned_after_s": time.monotonic() - started}), flush=True)
            told = True
    await consumer.stop()  # leaves the group (a dynamic member)

asyncio.run(main(*sys.argv[1:]))
"""


def member(bootstrap: str, group: str, options: dict) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", MEMBER, bootstrap, group, "rejoin", json.dumps(options)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip


def assigned(process: subprocess.Popen[str]) -> None:
    line = process.stdout.readline() if process.stdout else ""
    if not line:
        raise RuntimeError("the member exited before it was assigned")


def trial(bootstrap: str, options: dict, how: str) -> tuple[float, float]:
    """(first join from a cold start, replacement after `how`), in seconds."""
    group = f"rejoin-{uuid.uuid4().hex[:8]}"
    first = member(bootstrap, group, options)
    started = time.monotonic()
    assigned(first)
    cold = time.monotonic() - started
    os.kill(first.pid, signal.SIGKILL if how == "kill" else signal.SIGTERM)
    first.wait()
    started = time.monotonic()
    second = member(bootstrap, group, options)
    assigned(second)
    again = time.monotonic() - started
    second.kill()
    second.wait()
    return cold, again


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1)
    args = parser.parse_args(argv)
    result: dict[str, dict[str, float]] = {}
    with Broker() as broker:
        asyncio.run(create_topics(broker.bootstrap, {"rejoin": 3}))
        for name, options in SETTINGS.items():
            for how in ("kill", "sigterm"):
                runs = [trial(broker.bootstrap, options, how) for _ in range(args.trials)]
                result[f"{name}, {how}"] = {
                    "cold_join_s": round(max(c for c, _ in runs), 1),
                    "replacement_assigned_s": round(max(a for _, a in runs), 1),
                }
    rows = [(k, f"{v['replacement_assigned_s']} s (cold join {v['cold_join_s']} s)")
            for k, v in result.items()]  # fmt: skip
    rows.append(("load average", os.getloadavg()))
    print_table("Consumer group: a member replaced, seconds until the new one has partitions", rows)
    write_json("rejoin", result)
    return result


if __name__ == "__main__":
    main()
