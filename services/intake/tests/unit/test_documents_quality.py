"""Quality thresholds, justified on a realistic synthetic identity card."""

import io
import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

from intake.documents import DocumentRefused, Limits, StoredDocument, inspect_and_normalise, measure

LIMITS = Limits()
FLOOR = LIMITS.quality
ID1_AT_300_DPI = (1011, 638)  # 85.6 x 54 mm


def synthetic_card(size=ID1_AT_300_DPI, seed=7):
    """An ID-1 card at 300 dpi: tinted guilloche, a portrait, data lines and a 3-line MRZ."""
    rng = random.Random(seed)
    card = Image.new("RGB", ID1_AT_300_DPI, (236, 232, 222))
    draw = ImageDraw.Draw(card)
    for x in range(0, card.width, 9):
        draw.line([(x, 0), (x + 120, card.height)], fill=(222, 226, 232))
    draw.text((40, 24), "IDENTITY CARD  CARTE D'IDENTITE", font=_font(34), fill=(40, 50, 90))
    for row in range(330):
        tone = 150 - row // 5
        draw.line([(40, 110 + row), (300, 110 + row)], fill=(tone, tone - 10, tone - 25))
    draw.ellipse([100, 160, 240, 340], fill=(196, 160, 132))
    draw.rectangle([80, 340, 260, 440], fill=(45, 55, 80))
    for i in range(7):
        word = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVW") for _ in range(rng.randint(6, 14)))
        draw.text(
            (330, 110 + i * 40), f"{word} {i + 3:02d}.0{i + 1}", font=_font(22), fill=(30, 30, 40)
        )
    mrz = [
        "IDBEL590330101<<<<<<<<<<<<<<<",
        "8502142F3104301BEL<<<<<<<<<<6",
        "SPECIMEN<<ANNA<MARIA<<<<<<<<<",
    ]
    for i, line in enumerate(mrz):
        draw.text((40, 462 + i * 52), line, font=_font(30), fill=(20, 20, 20))
    return card if card.size == size else card.resize(size, Image.Resampling.LANCZOS)


def _font(size):
    return ImageFont.load_default(size=size)


def as_camera_jpeg(image, noise=3.0):
    """Sensor noise after the optics, then JPEG compression, as a phone or scanner delivers."""
    pixels = np.asarray(image, dtype=np.float32)
    pixels = pixels + np.random.default_rng(1).normal(0, noise, pixels.shape)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def blurred(image, radius):
    return image.filter(ImageFilter.GaussianBlur(radius))


def brightness(image, factor):
    return ImageEnhance.Brightness(image).enhance(factor)


def measured(image, noise=3.0):
    return measure(Image.open(io.BytesIO(as_camera_jpeg(image, noise))))


def refusal_of(image, noise=3.0):
    with pytest.raises(DocumentRefused) as refused:
        inspect_and_normalise(as_camera_jpeg(image, noise), limits=LIMITS)
    return refused.value


CARD = synthetic_card()


def test_a_sharp_well_exposed_card_is_accepted():
    stored = inspect_and_normalise(as_camera_jpeg(CARD), limits=LIMITS)

    assert isinstance(stored, StoredDocument)
    assert stored.media_type == "image/jpeg" and stored.pages[0].width == 1011


def test_a_slightly_blurred_card_is_accepted():
    inspect_and_normalise(as_camera_jpeg(blurred(CARD, 0.5)), limits=LIMITS)


@pytest.mark.parametrize("radius", [3, 4])
def test_a_clearly_blurred_card_is_refused_as_blurred(radius):
    assert refusal_of(blurred(CARD, radius)).code == "document.too_blurred"


def test_heavy_sensor_noise_does_not_pass_a_blurred_card_as_sharp():
    assert refusal_of(blurred(CARD, 3), noise=8.0).code == "document.too_blurred"


def test_the_sharpness_threshold_separates_readable_from_blurred_with_margin():
    sharp, slight = measured(CARD).sharpness, measured(blurred(CARD, 0.5)).sharpness
    blurred_3, blurred_4 = (measured(blurred(CARD, r)).sharpness for r in (3, 4))

    assert sharp > 10 * FLOOR.min_sharpness
    assert slight > 5 * FLOOR.min_sharpness
    assert max(blurred_3, blurred_4) < FLOOR.min_sharpness / 2


def test_blur_is_judged_relative_to_the_document_not_to_the_pixel_count():
    big = synthetic_card(size=(3033, 1914))  # the same card at 900 dpi

    same_as_radius_1 = measured(blurred(big, 3)).sharpness
    same_as_radius_3 = measured(blurred(big, 9)).sharpness

    assert same_as_radius_1 > 2 * FLOOR.min_sharpness
    assert same_as_radius_3 < FLOOR.min_sharpness / 2


def test_a_darkened_card_is_refused_as_too_dark():
    assert refusal_of(brightness(CARD, 0.15)).code == "document.too_dark"


def test_the_darkness_threshold_separates_with_margin():
    assert measured(CARD).paper_white > 2 * FLOOR.min_paper_white
    assert measured(brightness(CARD, 0.15)).paper_white < FLOOR.min_paper_white / 2


def test_an_overexposed_card_is_refused_as_overexposed():
    assert refusal_of(brightness(CARD, 3.0)).code == "document.overexposed"


def test_the_overexposure_thresholds_separate_with_margin():
    good, washed = measured(CARD), measured(brightness(CARD, 3.0))

    assert good.clipped_share < FLOOR.max_clipped_share / 5
    assert washed.clipped_share > 1.3 * FLOOR.max_clipped_share
    assert washed.ink_level > 1.5 * FLOOR.max_ink_level


def test_a_card_on_a_white_a4_scan_is_not_overexposed():
    a4_at_300_dpi = Image.new("RGB", (2480, 3508), "white")
    a4_at_300_dpi.paste(CARD, (100, 100))

    report = measured(a4_at_300_dpi)

    assert report.clipped_share < FLOOR.max_clipped_share / 1.5
    inspect_and_normalise(as_camera_jpeg(a4_at_300_dpi), limits=LIMITS)


def test_black_print_on_white_paper_is_not_overexposed():
    photocopy = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(photocopy)
    for i in range(30):
        draw.text((80, 80 + i * 50), "COPY OF A LICENCE 0123456789 <<<<", font=_font(30), fill=10)

    report = measured(photocopy)

    assert report.clipped_share > FLOOR.max_clipped_share
    assert report.ink_level < FLOOR.max_ink_level / 2
    inspect_and_normalise(as_camera_jpeg(photocopy), limits=LIMITS)


def test_a_card_scanned_at_100_dpi_is_refused_as_too_small():
    small = CARD.resize((337, 213), Image.Resampling.LANCZOS)

    refused = refusal_of(small)

    assert refused.code == "document.too_small"
    assert refused.params == {"min_short_side": 600, "short_side": 213}


def test_the_size_floor_accepts_a_card_at_300_dpi_with_margin():
    assert min(ID1_AT_300_DPI) >= 1.05 * FLOOR.min_short_side
