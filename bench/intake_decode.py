"""Intake's memory per decode: the peak RSS growth of a process checking hostile but valid scans.

Cases (each in a fresh child process, so one case's heap does not hide another's):
- png16: a 40 MP 16-bit greyscale PNG (a few hundred KB on the wire);
- cmyk: a 40 MP CMYK JPEG;
- rgb: a 40 MP RGB JPEG (the ordinary worst case, for comparison);
- four: four 16-bit PNGs of four requesters at once, through the upload path's decode (and its
  per-process cap on concurrent decodes).
Growth = VmHWM - VmRSS measured around the case, after a warm-up decode (Linux /proc).
Targets (issue 11): < 150 MB per decode, < 400 MB for four at once.

`python -m bench intake-decode` (or `python -m bench.intake_decode`); figures in
bench/results/intake_decode.json.
"""

import argparse
import asyncio
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from bench.report import print_table, write_json

SIZE = (8000, 5000)  # 40 MP, intake's pixel limit
CASES = ("png16", "cmyk", "rgb", "four")
TARGET_MB = {"png16": 150, "cmyk": 150, "rgb": 150, "four": 400}


def _page(white: int, ink: int, dtype) -> np.ndarray:
    """A page: white paper with dark lines of 'text' (edges for the sharpness measure)."""
    height, width = SIZE[1], SIZE[0]
    page = np.full((height, width), white, dtype=dtype)
    for top in range(200, height - 200, 120):
        page[top : top + 40, 300 : width - 300 : 7] = ink
    return page


def make_images(folder: Path) -> None:
    grey16 = Image.fromarray(_page(60000, 4000, np.uint16))
    grey16.save(folder / "png16.png", format="PNG", compress_level=9)
    grey = Image.fromarray(_page(245, 20, np.uint8))
    cmyk = Image.merge("CMYK", [Image.new("L", SIZE, 0)] * 3 + [grey.point(lambda v: 255 - v)])
    cmyk.save(folder / "cmyk.jpg", format="JPEG", quality=90)
    grey.convert("RGB").save(folder / "rgb.jpg", format="JPEG", quality=90)


def _status(field: str) -> int:
    """A VmRSS/VmHWM figure of this process, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(field)


def _reset_peak() -> None:
    """Linux: writing 5 to clear_refs resets VmHWM to the current RSS."""
    Path("/proc/self/clear_refs").write_text("5")


async def _check_all(blobs: list[bytes]) -> list[str]:
    """Through the upload path's Decoder: worker threads, its cap on concurrent checks."""
    from intake.api.uploads import Decoder  # noqa: PLC0415 - the child imports intake only
    from intake.config import IntakeSettings  # noqa: PLC0415
    from intake.documents import DocumentRefused  # noqa: PLC0415

    settings = IntakeSettings.model_construct()
    decoder = Decoder(settings.limits(), concurrency=settings.max_concurrent_decodes)

    async def one(blob: bytes) -> str:
        try:
            stored = await decoder.check(blob)
        except DocumentRefused as refusal:
            return refusal.code
        return f"stored {stored.pages[0].width}x{stored.pages[0].height}"

    return list(await asyncio.gather(*(one(blob) for blob in blobs)))


def run_case(case: str, folder: Path) -> dict:
    """In the child: warm up, reset the peak, check the scan(s), report the growth."""
    name = {"png16": "png16.png", "cmyk": "cmyk.jpg", "rgb": "rgb.jpg", "four": "png16.png"}
    warm = io.BytesIO()
    Image.new("RGB", (1200, 800), "white").save(warm, format="PNG")
    asyncio.run(_check_all([warm.getvalue()]))
    blob = (folder / name[case]).read_bytes()
    _reset_peak()
    before = _status("VmRSS")
    outcomes = asyncio.run(_check_all([blob] * (4 if case == "four" else 1)))
    growth = _status("VmHWM") - before
    return {
        "case": case,
        "growth_mb": round(growth / 1e6),
        "outcome": outcomes,
        "wire_kb": len(blob) // 1024,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=CASES)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args(argv)
    if args.case:
        print(json.dumps(run_case(args.case, args.folder)))
        return
    with tempfile.TemporaryDirectory(prefix="idpro-decode-") as folder:
        make_images(Path(folder))
        results = [_child(case, Path(folder)) for case in CASES]
    rows = [
        (r["case"], f"{r['growth_mb']} MB (target < {TARGET_MB[r['case']]} MB) - {r['outcome']}")
        for r in results
    ]
    print_table("intake decode: peak memory growth per case", rows)
    write_json("intake_decode", {r["case"]: r for r in results})


def _child(case: str, folder: Path) -> dict:
    out = subprocess.run(  # noqa: S603 - this module, this interpreter
        [sys.executable, "-m", "bench.intake_decode", "--case", case, "--folder", str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
