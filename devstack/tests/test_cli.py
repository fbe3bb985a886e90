"""`idpro-stack infra` as a user runs it: a foreground process that Ctrl-C stops cleanly."""

import asyncio
import signal
import subprocess
import sys

import asyncpg

from devstack._runtime import port_open
from devstack.databases import to_asyncpg_dsn


async def test_infra_prints_working_addresses_and_stops_everything_on_ctrl_c(tmp_path):
    state = tmp_path / "state"
    infra = subprocess.Popen(  # noqa: S603, ASYNC220 - the CLI is the subject
        [sys.executable, "-m", "devstack.cli", "infra", "--state-dir", str(state),
         "--kafka-port", "0", "--postgres-port", "0", "--smtp-port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        printed = dict(infra.stdout.readline().strip().split("=", 1) for _ in range(4))
        kafka_host, kafka_port = printed["IDPRO_KAFKA_BOOTSTRAP_SERVERS"].split(":")
        connection = await asyncpg.connect(to_asyncpg_dsn(printed["IDPRO_POSTGRES_URL"]))
        assert await connection.fetchval("SELECT 1") == 1
        await connection.close()
        assert port_open(kafka_host, int(kafka_port))
        assert port_open(printed["IDPRO_SMTP_HOST"], int(printed["IDPRO_SMTP_PORT"]))
    finally:
        infra.send_signal(signal.SIGINT)
        assert await asyncio.to_thread(infra.wait, 30) == 0

    assert not port_open(kafka_host, int(kafka_port))
    assert not (state / "pgdata" / "postmaster.pid").exists()
