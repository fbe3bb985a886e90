"""`make up`: the whole system on the embedded defaults (or on what the environment names)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

from devstack.broker import Broker
from devstack.postgres import EmbeddedPostgres
from devstack.smtp import SmtpSink
from devstack.system import ROOT, Infrastructure, System

STATE = Path(os.environ.get("IDPRO_STATE_DIR", ROOT / ".devstack"))


def main() -> None:
    stop: list[int] = []
    # The handler only records the signal: setting a threading.Event from a signal handler can
    # deadlock against a main thread waiting on that same Event.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda signum, _frame: stop.append(signum))
    with contextlib.ExitStack() as stack:
        infra = Infrastructure(
            kafka_bootstrap=os.environ.get("IDPRO_KAFKA_BOOTSTRAP_SERVERS")
            or stack.enter_context(
                Broker(
                    port=int(os.environ.get("IDPRO_KAFKA_PORT", "19092")), log_dir=STATE / "logs"
                )
            ).bootstrap,
            postgres_admin_url=os.environ.get("IDPRO_POSTGRES_URL")
            or stack.enter_context(
                EmbeddedPostgres(
                    data_dir=STATE / "pgdata", port=int(os.environ.get("IDPRO_PG_PORT", "55432"))
                )
            ).admin_url,
            smtp_host=os.environ.get("IDPRO_SMTP_HOST", "127.0.0.1"),
            smtp_port=int(os.environ.get("IDPRO_SMTP_PORT", "1025")),
        )
        if "IDPRO_SMTP_HOST" not in os.environ:
            stack.enter_context(SmtpSink(port=infra.smtp_port, folder=STATE / "mail"))
        system = System(infra=infra, state_dir=STATE, gateway_metrics_port=9100)
        print("idpro: preparing databases, migrations and topics …", flush=True)
        system.prepare()
        stack.callback(system.stop)
        system.start()
        _announce(system, infra)
        while not stop:
            time.sleep(0.2)
        print("\nidpro: stopping …", flush=True)
    print("idpro: stopped.", flush=True)


def _announce(system: System, infra: Infrastructure) -> None:
    private, _ = system.keys
    lines = [
        "",
        "idpro is up.",
        f"  web portal       {system.url('gateway')}/",
        f"  API (gateway)    {system.url('gateway')}/api/…   OpenAPI: {system.url('gateway')}/api/docs",
        *(
            f"  {name:<16} {system.url(name)}/docs"
            for name in ("intake", "matching", "notifier", "history", "webhooks")
        ),
        f"  gateway metrics  {system.metrics_url('gateway')}/metrics (not on the public port)",
        f"  Kafka            {infra.kafka_bootstrap}",
        f"  PostgreSQL       {infra.postgres_admin_url.split('@')[-1]}",
        f"  SMTP sink        {infra.smtp_host}:{infra.smtp_port} (read mail: make mail)",
        f"  logs             {STATE / 'logs'}",
        f"  a token          make token   (development IdP key: {private})",
        "Ctrl-C stops everything.",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
