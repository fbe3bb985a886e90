"""Each service's migrations build its own database from nothing, and the models show no drift."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from devstack._runtime import run_async
from devstack.databases import ensure_service_database
from devstack.system import EXTENSIONS

ROOT = Path(__file__).resolve().parents[1]


def alembic(service: str, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, f"{service.upper()}_DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "alembic", "-c", "alembic.ini", *args],
        env=env,
        cwd=ROOT / "services" / service,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "service", ["intake", "matching", "notifier", "history", "webhooks", "gateway"]
)
def test_migrations_run_as_the_service_role_and_leave_no_drift(service, postgres_admin_url):
    suffix = uuid.uuid4().hex[:8]
    url = run_async(
        lambda: ensure_service_database(
            postgres_admin_url,
            name=f"mig_{service}_{suffix}",
            role=f"mig_{service}_{suffix}",
            password="test-only",
            extensions=EXTENSIONS.get(service, ()),
        )
    )

    upgraded = alembic(service, url, "upgrade", "head")
    checked = alembic(service, url, "check")

    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    assert checked.returncode == 0, checked.stdout[-1000:] + checked.stderr[-2000:]
    assert "No new upgrade operations detected" in checked.stdout + checked.stderr


@pytest.mark.parametrize(
    "service", ["intake", "matching", "notifier", "history", "webhooks", "gateway"]
)
def test_migrations_downgrade_to_nothing_and_back(service, postgres_admin_url):
    suffix = uuid.uuid4().hex[:8]
    url = run_async(
        lambda: ensure_service_database(
            postgres_admin_url,
            name=f"mig_{service}_{suffix}",
            role=f"mig_{service}_{suffix}",
            password="test-only",
            extensions=EXTENSIONS.get(service, ()),
        )
    )

    steps = [
        alembic(service, url, *step)
        for step in (("upgrade", "head"), ("downgrade", "base"), ("upgrade", "head"))
    ]

    assert [s.returncode for s in steps] == [0, 0, 0], [s.stderr[-1500:] for s in steps]
