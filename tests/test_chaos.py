"""The compact fault-injection run (`python -m chaos --compact`): a whole system of its own, a
bounded load, then every connection terminated, kill -9 of each service and a broker restart;
the independent checker must find no loss and no duplicate. A copy of an e-mail whose sender was
killed between the server's 250 and its mark (the notifier's documented window, which the checker
proves from the notifier's own records, in a run where a notifier process died) is shown apart and
does not fail the run; any other copy does. `make chaos` runs every fault."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


# The run's own budget (600 s) is the limit, not pytest's default 300 s: on a quiet machine it
# takes ~150 s, on two cores at load 19 it took 370 s and passed (pytest had stopped it at 300).
@pytest.mark.timeout(660)
def test_the_compact_chaos_run_loses_nothing_and_duplicates_nothing(tmp_path):
    findings = tmp_path / "chaos.json"
    run = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", "chaos", "--compact", "--json", str(findings)],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    table = run.stdout[run.stdout.find("fault |") :] if "fault |" in run.stdout else run.stdout
    assert run.returncode == 0, (
        f"chaos found losses or did not settle:\n{table}\n{run.stderr[-3000:]}"
    )
