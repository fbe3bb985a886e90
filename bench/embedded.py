"""The whole system on embedded parts for a benchmark, with the pid of every process that serves
it, and py-spy over its services."""

import contextlib
from pathlib import Path

from bench.cpu import postmaster_pid
from devstack._runtime import free_port
from devstack.system import DEFAULT_PORTS, Infrastructure, System


def embedded_system(
    state: Path, stack: contextlib.ExitStack, *, pg_settings: dict[str, str] | None = None
) -> tuple[System, dict[str, int]]:
    """The whole system on embedded parts; with the pid of every process that serves it."""
    from devstack.broker import Broker
    from devstack.postgres import DISPOSABLE, EmbeddedPostgres
    from devstack.smtp import SmtpSink

    broker = stack.enter_context(Broker(log_dir=state / "logs"))
    postgres = stack.enter_context(
        EmbeddedPostgres(data_dir=state / "pgdata", settings=DISPOSABLE | (pg_settings or {}))
    )
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
    pids = {name: process.pid for name, process in system.processes.items()}
    pids["postgres"] = postmaster_pid(postgres.data_dir)
    pids["broker"] = broker._process.pid  # noqa: SLF001 - the bench reads its CPU time
    return system, pids


def profile(pids: dict[str, int], folder: Path, seconds: float) -> list:
    """py-spy (if installed) records each service for `seconds`: collapsed stacks per service."""
    import shutil  # noqa: PLC0415
    import subprocess  # noqa: PLC0415

    spy = shutil.which("py-spy")
    if spy is None:
        raise SystemExit("--profile needs py-spy on PATH (uv tool install py-spy)")
    folder.mkdir(parents=True, exist_ok=True)
    return [
        subprocess.Popen(  # noqa: S603 - fixed argv
            [
                spy,
                "record",
                "--pid",
                str(pid),
                "--rate",
                "97",
                "--duration",
                str(int(seconds)),
                "--format",
                "raw",
                "--output",
                str(folder / f"{name}.txt"),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for name, pid in pids.items()
        if name in SERVICES
    ]


SERVICES = ("gateway", "intake", "matching", "notifier", "history", "webhooks")
