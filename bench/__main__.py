"""`make bench`: every benchmark in turn; pass `e2e`, `history` or `matching` to run one."""

import sys

from bench import e2e


def main() -> None:
    wanted = set(sys.argv[1:]) or {"e2e", "history", "matching"}
    if "e2e" in wanted:
        e2e.main([])
    if "history" in wanted:
        from bench.history import main as history_bench

        history_bench()
    if "matching" in wanted:
        try:
            from bench.matching import main as matching_bench
        except ImportError:
            print("matching bench not available")
        else:
            matching_bench([])


if __name__ == "__main__":
    main()
