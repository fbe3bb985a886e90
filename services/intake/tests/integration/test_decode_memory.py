"""Checking a scan costs a bounded amount of memory whatever its encoding: the 40 MP cases that
once grew intake by a gigabyte each, measured as the peak RSS growth of a child process.

The figures themselves, with the same cases, are printed by `make bench` (bench/intake_decode.py).
"""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from PIL import Image

SIZE = (8000, 5000)  # 40 MP: intake's pixel limit
MB = 1_000_000

# The child: warm up, reset the peak (Linux: clear_refs 5), check the scans, report the growth.
CHILD = textwrap.dedent(
    """
    import asyncio, io, json, sys
    from pathlib import Path
    from PIL import Image
    from intake.api.uploads import Decoder
    from intake.documents import DocumentRefused, Limits

    def status(field):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024

    async def check(decoder, blob):
        try:
            stored = await decoder.check(blob)
            return [stored.pages[0].width, stored.pages[0].height]
        except DocumentRefused as refusal:
            return refusal.code

    async def main(paths):
        decoder = Decoder(Limits(), concurrency=2)
        warm = io.BytesIO()
        Image.new("RGB", (1200, 800), "white").save(warm, format="PNG")
        await check(decoder, warm.getvalue())
        blobs = [Path(p).read_bytes() for p in paths]
        Path("/proc/self/clear_refs").write_text("5")
        before = status("VmRSS")
        outcomes = await asyncio.gather(*(check(decoder, b) for b in blobs))
        print(json.dumps({"growth": status("VmHWM") - before, "outcomes": outcomes}))

    asyncio.run(main(sys.argv[1:]))
    """
)


def page(white: int, ink: int, dtype) -> np.ndarray:
    """White paper with dark lines of 'text', so the page passes the quality checks."""
    values = np.full((SIZE[1], SIZE[0]), white, dtype=dtype)
    for top in range(200, SIZE[1] - 200, 120):
        values[top : top + 40, 300 : SIZE[0] - 300 : 7] = ink
    return values


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scans")
    Image.fromarray(page(60000, 4000, np.uint16)).save(folder / "grey16.png", compress_level=9)
    grey = Image.fromarray(page(245, 20, np.uint8))
    ink = grey.point(lambda v: 255 - v)
    Image.merge("CMYK", [Image.new("L", SIZE, 0)] * 3 + [ink]).save(folder / "cmyk.jpg", quality=90)
    grey.convert("RGB").save(folder / "rgb.jpg", quality=90)
    return folder


def growth(*paths) -> tuple[int, list]:
    """Peak RSS growth (bytes) of a fresh process checking these scans at once, and outcomes."""
    child = subprocess.run(
        [sys.executable, "-c", CHILD, *map(str, paths)], capture_output=True, text=True, timeout=240
    )
    assert child.returncode == 0, child.stderr[-3000:]
    result = json.loads(child.stdout.strip().splitlines()[-1])
    return result["growth"], result["outcomes"]


def test_a_40_mp_16_bit_greyscale_png_costs_less_than_150_mb(scans):
    grown, outcomes = growth(scans / "grey16.png")

    assert outcomes == [[8000, 5000]]
    assert grown < 150 * MB


def test_a_40_mp_cmyk_jpeg_costs_less_than_150_mb(scans):
    grown, outcomes = growth(scans / "cmyk.jpg")

    assert outcomes == [[4000, 2500]]  # decoded at half size by the JPEG decoder itself
    assert grown < 150 * MB


def test_a_40_mp_rgb_jpeg_costs_less_than_150_mb(scans):
    grown, outcomes = growth(scans / "rgb.jpg")

    assert outcomes == [[4000, 2500]]  # decoded at half size: 160 MB at full size
    assert grown < 150 * MB


def test_four_such_scans_at_once_cost_less_than_400_mb(scans):
    grown, outcomes = growth(*[scans / "grey16.png"] * 4)

    assert outcomes == [[8000, 5000]] * 4
    assert grown < 400 * MB
