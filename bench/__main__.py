"""`make bench`: every benchmark in turn, printing figures (tables and JSON).

`python -m bench [e2e|history|matching-quality|matching-speed|webhooks|mrz|intake-decode]` runs
some of them; each module also runs alone (`python -m bench.e2e --help`,
`python -m bench.matching.speed --help`).
"""

import sys


def main() -> None:
    wanted = set(sys.argv[1:]) or {
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

        e2e.main([])
    if "history" in wanted:
        from bench.history import main as history_bench

        history_bench()
    if "matching-quality" in wanted:
        from bench.matching.quality import main as quality

        quality([])
    if "intake-decode" in wanted:
        from bench.intake_decode import main as intake_decode

        intake_decode([])
    if "matching-speed" in wanted:
        from bench.matching.speed import main as speed

        speed([])
    if "webhooks" in wanted:
        from bench.webhooks import main as webhooks

        webhooks([])
    if "mrz" in wanted:
        from bench.mrz import main as mrz

        mrz([])


if __name__ == "__main__":
    main()
