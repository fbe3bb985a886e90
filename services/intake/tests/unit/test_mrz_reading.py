"""tesseract reads the zone of generated specimens (OCR-B, ICAO pitch) as real images."""

import asyncio
import io
import random

import psutil
import pytest
from PIL import Image

from devstack import scan_noise
from devstack.scans import Holder, mrz_lines, png, specimen
from intake.mrz.reader import read_zone

HOLDER = Holder(
    surname="KOWALSKA", given_names="ANNA MARIA", document_number="EH7204518", country="POL",
    nationality="POL", birth_date="900402", sex="F", expiry_date="310430",
)  # fmt: skip


def truth(kind: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in mrz_lines(HOLDER, kind))


@pytest.mark.parametrize("kind", ["td3", "td1"])
async def test_the_zone_of_a_clean_specimen_is_read_exactly(kind):
    outcome = await read_zone(png(specimen(HOLDER, kind=kind)), timeout_s=30)

    assert outcome.zone is not None and outcome.zone.format == kind
    assert outcome.zone.lines == truth(kind) and outcome.zone.valid


async def test_a_tilted_blurred_unevenly_lit_jpeg_still_reads_with_valid_check_digits():
    how = scan_noise.Degradation(
        blur_radius=1.0, rotation_deg=3.0, light_low=0.6, light_angle_deg=30.0,
        noise_sigma=4.0, jpeg_quality=55,
    )  # fmt: skip
    scan = scan_noise.degrade(specimen(HOLDER, kind="td3"), how, seed=1)

    outcome = await read_zone(scan, timeout_s=30)

    assert outcome.zone is not None and outcome.zone.valid
    assert outcome.zone.lines == truth("td3")


async def test_a_page_scanned_upside_down_is_read_turned_over():
    upside_down = specimen(HOLDER, kind="td3").rotate(180)

    outcome = await read_zone(png(upside_down), timeout_s=30)

    assert outcome.zone is not None and outcome.zone.lines == truth("td3")


async def test_a_page_without_a_zone_reads_as_none():
    blank = Image.new("RGB", (1476, 1039), (236, 232, 222))

    assert (await read_zone(png(blank), timeout_s=30)).zone is None


async def test_a_reading_past_its_time_is_stopped_and_leaves_no_ocr_process_behind():
    noisy = scan_noise.degrade(specimen(HOLDER, kind="td3"), scan_noise.draw(random.Random(2)))

    with pytest.raises(TimeoutError):
        await read_zone(noisy, timeout_s=0.05)  # a reading takes ~0.27 s on an idle core
    await asyncio.sleep(0)  # let the killed child be reaped

    children = [p.name() for p in psutil.Process().children(recursive=True)]
    assert "tesseract" not in children


def test_specimens_are_images_intake_accepts():
    image = Image.open(io.BytesIO(png(specimen(HOLDER, kind="td1"))))

    assert image.size == (1011, 638)
