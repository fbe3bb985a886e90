"""CPU time (user + system) of processes and their descendants, read from /proc (Linux)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TICK_S = 1.0 / os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float, float] | None:
    """(parent pid, own CPU seconds, CPU seconds of reaped children) of one process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the name in parentheses may hold spaces
    ppid = int(fields[1])
    utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
    return ppid, (utime + stime) * TICK_S, (cutime + cstime) * TICK_S


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            tree.setdefault(stat[0], []).append(int(entry.name))
    return tree


def tree_cpu_s(pids: dict[str, int]) -> dict[str, float]:
    """Per name, the CPU seconds of the process, its live descendants and its reaped children.

    PostgreSQL runs a process per connection: counting the postmaster's whole tree, and the
    reaped children it accounts for, catches every backend, including ones that ended.
    """
    tree = _children()
    out: dict[str, float] = {}
    for name, root in pids.items():
        total, todo = 0.0, [root]
        while todo:
            pid = todo.pop()
            if (stat := _stat(pid)) is not None:
                total += stat[1] + stat[2]
                todo += tree.get(pid, [])
        out[name] = total
    return out


@dataclass
class CpuMeter:
    """CPU seconds spent by named process trees (and this process's threads) between two reads."""

    pids: dict[str, int]

    def read(self) -> dict[str, float]:
        now = tree_cpu_s(self.pids)
        # This process runs the load generator (main thread) and, embedded, the SMTP sink
        # (aiosmtpd's thread): told apart by the main thread's own clock.
        main = _thread_cpu_s(os.getpid(), os.getpid())
        everything = _stat(os.getpid())[1]  # threads only: the services are its children
        now["load generator"] = main
        now["smtp sink + bench threads"] = everything - main
        return now


def _thread_cpu_s(pid: int, tid: int) -> float:
    text = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) * TICK_S


def postmaster_pid(data_dir: Path) -> int:
    """The server's pid: the first line of postmaster.pid."""
    return int((Path(data_dir) / "postmaster.pid").read_text().split()[0])
