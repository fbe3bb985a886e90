"""The bench's CPU meter counts a process tree, including children that already ended."""

import importlib.util
import subprocess
import sys
from pathlib import Path

# bench/ is a folder of scripts, not an installed package: load the module from its file.
_spec = importlib.util.spec_from_file_location(
    "bench_cpu", Path(__file__).parents[1] / "bench" / "cpu.py"
)
_cpu = sys.modules["bench_cpu"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_cpu)
tree_cpu_s = _cpu.tree_cpu_s

BURN = "import time\nt=time.process_time()\nwhile time.process_time()-t<0.3: pass\n"


def test_a_tree_counts_its_live_and_its_reaped_children():
    # The parent burns 0.3 s itself, runs a child that burns 0.3 s and ends (reaped: counted in
    # the parent's cutime, as PostgreSQL's ended backends are), then waits with its own child.
    script = (
        f"import subprocess, sys\n{BURN}"
        f"subprocess.run([sys.executable, '-c', {BURN!r}])\n"
        "print('ready', flush=True)\nsys.stdin.read()\n"
    )
    parent = subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout.readline().strip() == "ready"
        spent = tree_cpu_s({"parent": parent.pid})["parent"]
        assert 0.55 <= spent < 5.0
    finally:
        parent.stdin.close()
        parent.wait(10)


def test_a_process_that_is_gone_counts_nothing():
    done = subprocess.run([sys.executable, "-c", "pass"], check=True)  # noqa: S603
    assert done.returncode == 0
    assert tree_cpu_s({"gone": 2**22 + 12345})["gone"] == 0.0
