"""The whole system, started once per test session on the session's broker, database and SMTP sink."""

from collections.abc import Iterator

import httpx
import pytest

from devstack._runtime import free_port
from devstack.system import DEFAULT_PORTS, Infrastructure, System
from tests.support import Actor


@pytest.fixture(scope="session")
def system(kafka_bootstrap, postgres_admin_url, smtp_sink, tmp_path_factory) -> Iterator[System]:
    infra = Infrastructure(
        kafka_bootstrap=kafka_bootstrap,
        postgres_admin_url=postgres_admin_url,
        smtp_host=smtp_sink.host,
        smtp_port=smtp_sink.port,
    )
    state_dir = tmp_path_factory.mktemp("system")
    extra_env = {
        "notifier": {"NOTIFIER_RETRY_INITIAL_S": "0.2"},
        # Information-request deadlines are checked every second (tests move them in the database).
        "intake": {"INTAKE_DEADLINES_INTERVAL_S": "1"},
        "gateway": {
            "GATEWAY_MAILBOX_FOLDER": str(smtp_sink.folder),
            # Every test signs in from 127.0.0.1: the per-address limit is for real users.
            "GATEWAY_RATE_SIGNIN_BURST": "100000",
            "GATEWAY_RATE_PAGE_BURST": "100000",
        },
    }
    # Spans of every service, one JSON line each (tests/test_tracing.py reads them).
    (state_dir / "traces").mkdir()
    for name in DEFAULT_PORTS:
        trace_file = {"IDPRO_TRACE_FILE": str(state_dir / "traces" / f"{name}.jsonl")}
        extra_env[name] = extra_env.get(name, {}) | trace_file
    running = System(
        infra=infra,
        state_dir=state_dir,
        ports={name: free_port() for name in DEFAULT_PORTS},
        partitions=3,
        extra_env=extra_env,
    )
    running.prepare()
    running.skip_history()
    try:
        running.start(timeout=90)
        yield running
    finally:
        running.stop()


@pytest.fixture
async def gateway(system: System):
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=30) as client:
        yield client


@pytest.fixture
def actor(system: System):
    """Make a signed-in user: actor(employer="0123456789", user="alice", roles=["requester"])."""
    return lambda **kwargs: Actor.sign_in(system, **kwargs)
