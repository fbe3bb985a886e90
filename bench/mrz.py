"""MRZ reading benchmark: 200 generated scans with noise, read as intake reads them.

Each scan is a specimen from devstack.scans (a TD3 passport page or a TD1 card back, half each,
a made-up holder), degraded by devstack.scan_noise (blur up to 1.5 px, a tilt up to 4 degrees,
light down to 55 % on one side, sensor noise, JPEG quality 35-90), then read one at a time by
intake.mrz.reader (tesseract, one core). Figures: the share read fully correct (every character of
the zone), the share whose check digits all hold, the share that holds them yet is wrong, the
share trusted (check digits valid as read, nothing repaired, no name the page disputes: what
would be pre-filled without a warning) and trusted yet wrong, the accuracy per field, and the
time per scan.

`python -m bench.mrz [--scans 200] [--seed 1] [--clean]`
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections import Counter

from bench.report import print_table, write_json
from devstack import scan_noise
from devstack.scans import mrz_lines, png, random_holder, specimen
from intake.mrz.checks import Zone
from intake.mrz.fields import parts
from intake.mrz.reader import read_zone

FIELDS = ("code", "issuer", "names", "number", "nationality", "birth", "sex", "expiry")


def scan(index: int, *, seed: int, clean: bool) -> tuple[bytes, Zone]:
    """Scan `index` of the set and the zone it holds."""
    rng = random.Random(seed * 100_003 + index)
    kind = "td3" if index % 2 == 0 else "td1"
    holder = random_holder(rng)
    image = specimen(holder, kind=kind, seed=index)
    data = png(image) if clean else scan_noise.degrade(image, scan_noise.draw(rng), seed=index)
    return data, Zone(kind, tuple(mrz_lines(holder, kind)))


async def run(count: int, *, seed: int, clean: bool) -> dict:
    tallies: Counter[str] = Counter()
    per_field: Counter[str] = Counter()
    times: list[float] = []
    for index in range(count):
        data, truth = scan(index, seed=seed, clean=clean)
        started = time.perf_counter()
        zone = (await read_zone(data, timeout_s=60)).zone
        times.append(time.perf_counter() - started)
        tallies[f"{truth.format}.scans"] += 1
        if zone is None:
            continue
        correct = zone.lines == truth.lines
        tallies["found"] += 1
        tallies["correct"] += correct
        tallies[f"{truth.format}.correct"] += correct
        tallies["valid"] += zone.valid
        tallies["valid_but_wrong"] += zone.valid and not correct
        tallies["repaired"] += bool(zone.repaired)
        tallies["unsure"] += bool(zone.unsure)
        tallies["trusted"] += zone.trusted
        tallies["trusted_but_wrong"] += zone.trusted and not correct
        tallies["trusted_correct"] += zone.trusted and correct
        tallies["wrong_and_flagged"] += (not correct) and not zone.trusted
        if zone.format == truth.format:
            said, wanted = parts(zone), parts(truth)
            per_field.update(name for name in FIELDS if said[name] == wanted[name])
    return _figures(count, tallies, per_field, times)


def _figures(count: int, tallies: Counter, per_field: Counter, times: list[float]) -> dict:
    def share(n: int, of: int = count) -> float:
        return round(100 * n / of, 1) if of else 0.0

    ordered = sorted(times)
    return {
        "scans": count,
        "zone_found_pct": share(tallies["found"]),
        "fully_correct_pct": share(tallies["correct"]),
        "td3_fully_correct_pct": share(tallies["td3.correct"], tallies["td3.scans"]),
        "td1_fully_correct_pct": share(tallies["td1.correct"], tallies["td1.scans"]),
        "check_digits_valid_pct": share(tallies["valid"]),
        "valid_but_wrong_pct": share(tallies["valid_but_wrong"]),
        "repaired_by_a_check_digit_pct": share(tallies["repaired"]),
        "names_disputed_pct": share(tallies["unsure"]),
        # trusted: valid as read, nothing repaired, no field disputed (pre-filled silently)
        "trusted_pct": share(tallies["trusted"]),
        "trusted_correct_pct": share(tallies["trusted_correct"]),
        "trusted_but_wrong_pct": share(tallies["trusted_but_wrong"]),
        "wrong_readings_flagged_pct": share(
            tallies["wrong_and_flagged"], tallies["found"] - tallies["correct"]
        ),
        "field_accuracy_pct": {name: share(per_field[name]) for name in FIELDS},
        "seconds_per_scan_mean": round(statistics.fmean(times), 2),
        "seconds_per_scan_p50": round(ordered[len(ordered) // 2], 2),
        "seconds_per_scan_p95": round(ordered[int(len(ordered) * 0.95) - 1], 2),
        "seconds_per_scan_max": round(ordered[-1], 2),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clean", action="store_true", help="no noise (the OCR's ceiling)")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.scans, seed=args.seed, clean=args.clean))
    rows = [(k, v) for k, v in result.items() if k != "field_accuracy_pct"]
    rows += [(f"field {k} %", v) for k, v in result["field_accuracy_pct"].items()]
    label = "clean" if args.clean else "noisy"
    print_table(f"MRZ reading, {args.scans} {label} generated scans (TD3 + TD1)", rows)
    write_json(f"mrz-{label}", result)
    return result


if __name__ == "__main__":
    main()
