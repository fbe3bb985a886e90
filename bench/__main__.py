"""`make bench`: every benchmark in turn, printing figures (tables and JSON).

`python -m bench [e2e|history|matching-quality|matching-speed|webhooks|mrz|intake-decode|dashboard|bulk]`
runs some of them (dashboard only when named: a short load drawn as deploy/monitoring's
panels; bulk, a 10,000-row CSV through a whole system, only when named too); each module
also runs alone (`python -m bench.e2e --help`, `python -m bench.matching.speed --help`).
"""

import sys


def main() -> None:
    # `python -m bench e2e --requests 400 --rate 10`: names first, then the options of the one
    # benchmark named (each module parses its own).
    args = sys.argv[1:]
    first_option = next((i for i, arg in enumerate(args) if arg.startswith("-")), len(args))
    names, options = args[:first_option], args[first_option:]
    if options and len(names) != 1:
        raise SystemExit("options apply to one benchmark: python -m bench e2e --requests 400")
    wanted = set(names) or {
        "e2e",
        "history",
        "matching-quality",
        "matching-speed",
        "webhooks",
        "mrz",
        "intake-decode",
    }
    if "e2e" in wanted:
        from bench import e2e

        e2e.main(options)
    if "history" in wanted:
        from bench.history import main as history_bench

        history_bench()
    if "matching-quality" in wanted:
        from bench.matching.quality import main as quality

        quality(options)
    if "intake-decode" in wanted:
        from bench.intake_decode import main as intake_decode

        intake_decode(options)
    if "matching-speed" in wanted:
        from bench.matching.speed import main as speed

        speed(options)
    if "webhooks" in wanted:
        from bench.webhooks import main as webhooks

        webhooks(options)
    if "dashboard" in names:
        from bench.dashboard import main as dashboard

        dashboard(options)
    if "bulk" in names:
        from bench.bulk import main as bulk

        bulk(options)
    if "mrz" in wanted:
        from bench.mrz import main as mrz

        mrz(options)


if __name__ == "__main__":
    main()
