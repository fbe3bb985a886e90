"""`python -m chaos [FAULT ...]`: run faults against the whole system and print the table.

Without FAULT every fault runs, each on a fresh system; `--compact` runs the short three-fault
check (one system) that `make test` includes. Exit status 1 on any loss, duplicate or a system
that did not settle.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

from chaos.faults import COMPACT, FAULTS
from chaos.load import Population
from chaos.report import as_json, passed, table
from chaos.runner import Phase, run_phase
from chaos.stack import ChaosStack


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m chaos", description=__doc__)
    parser.add_argument("faults", nargs="*", choices=[[], *FAULTS], metavar="FAULT",
                        help=f"any of: {', '.join(FAULTS)} (default: all)")  # fmt: skip
    parser.add_argument("--compact", action="store_true", help=f"{', '.join(COMPACT)}, short")
    parser.add_argument("--short", action="store_true",
                        help="the compact run's sizes (fault lengths, load, settle) for any faults")  # fmt: skip
    parser.add_argument("--requests", type=int, help="per fault (default 300, compact 60)")
    parser.add_argument("--rate", type=float, default=6.0, help="submissions per second")
    parser.add_argument("--settle", type=float, help="seconds to wait for recovery")
    parser.add_argument("--shared", action="store_true", help="one system for every fault")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the findings here")
    parser.add_argument("--keep", action="store_true", help="keep the state folder (logs)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    faults = list(COMPACT) if args.compact else (args.faults or list(FAULTS))
    groups = [faults] if args.shared or args.compact else [[f] for f in faults]
    phases: list[Phase] = []
    for group in groups:
        phases += run_group(group, args)
    print(table(phases), flush=True)
    if args.json:
        args.json.write_text(as_json(phases))
    return 0 if passed(phases) else 1


def run_group(faults: list[str], args: argparse.Namespace) -> list[Phase]:
    state = Path(tempfile.mkdtemp(prefix="idpro-chaos-"))
    started = time.monotonic()
    print(f"chaos: starting a system for {', '.join(faults)} (state {state}) …", flush=True)
    stack = ChaosStack(state)
    try:
        stack.start()
        print(f"chaos: system up in {time.monotonic() - started:.0f} s", flush=True)
        return asyncio.run(_phases(stack, faults, args))
    finally:
        stack.stop()
        if not args.keep:
            shutil.rmtree(state, ignore_errors=True)


async def _phases(stack: ChaosStack, faults: list[str], args: argparse.Namespace) -> list[Phase]:
    population = Population(stack.system.keys[0].read_text(), run=uuid.uuid4().hex[:6])
    await stack.supervise()
    phases = []
    short = args.compact or args.short
    try:
        for n, fault in enumerate(faults):
            print(f"chaos: {fault} …", flush=True)
            phase = await run_phase(
                stack, population, fault,
                requests=args.requests or (60 if short else 300),
                rate=args.rate,
                lead_s=5.0 if short else 10.0,
                settle_s=args.settle or (180.0 if short else 420.0),
                compact=short,
                seed=args.seed + n,
            )  # fmt: skip
            recovery = f"{phase.recovery_s:.1f} s" if phase.recovery_s is not None else "none"
            print(
                f"chaos: {fault}: losses {phase.findings.losses}, recovery {recovery}", flush=True
            )
            phases.append(phase)
    finally:
        await stack.unsupervise()
    return phases


if __name__ == "__main__":
    sys.exit(main())
