"""Synthetic identity-document scans (specimens, no real person) with a valid machine-readable zone.

`card()` is the front of an ID-1 card with a TD1 zone; `specimen()` draws a passport data page
(TD3, 125 x 88 mm) or the back of an identity card (TD1, 85.6 x 54 mm) at 300 dpi from a
`Holder`, with the zone in OCR-B at its ICAO pitch (2.54 mm, 10 characters per inch), built by
the `mrz` package's generator so its check digits are right. `devstack.scan_noise` degrades them.
"""

from __future__ import annotations

import io
import os
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mrz.generator.td1 import TD1CodeGenerator
from mrz.generator.td3 import TD3CodeGenerator
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ID1_AT_300_DPI = (1011, 638)  # 85.6 x 54 mm
ID3_AT_300_DPI = (1476, 1039)  # 125 x 88 mm
MRZ_PITCH_PX = 30  # 2.54 mm at 300 dpi
MRZ_LINE_PX = 50  # ~4.2 mm between baselines
# Debian's fonts-ocr-b (public domain); IDPRO_OCRB_FONT points elsewhere.
OCRB_FONTS = ("/usr/share/fonts/opentype/ocr-b/OCRB.otf",)
PAPER = (236, 232, 222)


@dataclass(frozen=True)
class Holder:
    """What a specimen's zone says (dates YYMMDD, sex M/F/<, countries ICAO alpha-3)."""

    surname: str = "SPECIMEN"
    given_names: str = "ANNA MARIA"
    document_number: str = "EH1234567"
    country: str = "POL"
    nationality: str = "POL"
    birth_date: str = "900402"
    sex: str = "F"
    expiry_date: str = "310430"


# Names as zones print them (transliterated), document numbers in issuers' usual shapes
# (L letter, D digit, X either: German and Dutch numbers mix them freely).
SURNAMES = ("KOWALSKA", "NOWAK", "MUELLER", "DUBOIS", "OKAFOR", "NGUYEN", "GARCIA LOPEZ",
            "SILVA", "IVANOVA", "PETERS", "JANSSENS", "POPESCU", "ALMEIDA", "SHEVCHENKO")  # fmt: skip
GIVEN_NAMES = ("ANNA", "JAN PIOTR", "JUERGEN", "MARIE CLAIRE", "CHIDI", "THI LAN", "JOSE",
               "ANA", "OLGA", "PIETER", "MARK", "ERIK JOHAN", "IOANA")  # fmt: skip
NUMBER_SHAPES = ("LLDDDDDDD", "LLDDDDDD", "DDLLDDDDD", "LDDDDDDDD", "XXXXXXXXX")
COUNTRIES = ("POL", "D", "FRA", "NGA", "VNM", "ESP", "PRT", "UKR", "NLD", "ROU", "BEL", "ITA")


def random_holder(rng: random.Random) -> Holder:
    """A made-up holder: no real person, every field in its ICAO form."""
    shape = rng.choice(NUMBER_SHAPES)
    letters, digits, either = "ABCDEFGHJKLMNPRSTUVWXYZ", "0123456789", "CFGHJKLMNPRTVWXYZ0123456789"
    number = "".join(
        rng.choice(letters if c == "L" else digits if c == "D" else either) for c in shape
    )
    return Holder(
        surname=rng.choice(SURNAMES),
        given_names=rng.choice(GIVEN_NAMES),
        document_number=number,
        country=rng.choice(COUNTRIES),
        nationality=rng.choice(COUNTRIES),
        birth_date=f"{rng.randint(50, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
        sex=rng.choice("MF"),
        expiry_date=f"{rng.randint(27, 36):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
    )


@cache
def mrz_font(size: int = 38) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """OCR-B when installed (scripts/ensure-ocr.sh), else a monospaced font, else Pillow's own."""
    for path in (os.environ.get("IDPRO_OCRB_FONT"), *OCRB_FONTS):
        if path and Path(path).is_file():
            return ImageFont.truetype(path, size)
    mono = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
    return ImageFont.truetype(mono, size) if Path(mono).is_file() else _font(size)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def mrz_lines(holder: Holder, kind: str) -> list[str]:
    """The zone of `holder` as a TD3 (passport) or TD1 (identity card) document prints it."""
    if kind == "td3":
        code = TD3CodeGenerator(
            "P", holder.country, holder.surname, holder.given_names, holder.document_number,
            holder.nationality, holder.birth_date, holder.sex, holder.expiry_date, "",
        )  # fmt: skip
    elif kind == "td1":
        code = TD1CodeGenerator(
            "ID", holder.country, holder.document_number, holder.birth_date, holder.sex,
            holder.expiry_date, holder.nationality, holder.surname, holder.given_names,
        )  # fmt: skip
    else:
        raise ValueError("kind is td1 or td3")
    return [line.strip() for line in str(code).split("\n")]


def _background(size: tuple[int, int], title: str) -> Image.Image:
    image = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(image)
    for x in range(0, image.width, 9):
        draw.line([(x, 0), (x + 120, image.height)], fill=(222, 226, 232))
    draw.text((40, 24), title, font=_font(34), fill=(40, 50, 90))
    return image


def _portrait(draw: ImageDraw.ImageDraw, left: int, top: int) -> None:
    for row in range(330):
        tone = 150 - row // 5
        draw.line([(left, top + row), (left + 260, top + row)], fill=(tone, tone - 10, tone - 25))
    draw.ellipse([left + 60, top + 50, left + 200, top + 230], fill=(196, 160, 132))
    draw.rectangle([left + 40, top + 230, left + 220, top + 330], fill=(45, 55, 80))


def _data_lines(draw: ImageDraw.ImageDraw, rng: random.Random, left: int, top: int, n: int):
    for i in range(n):
        word = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVW") for _ in range(rng.randint(6, 14)))
        draw.text(
            (left, top + i * 40), f"{word} {i + 3:02d}.0{i + 1}", font=_font(22), fill=(30, 30, 40)
        )


def draw_mrz(image: Image.Image, lines: list[str], *, bottom_margin: int = 40) -> None:
    """The zone centred at the bottom, one character per 2.54 mm cell."""
    draw = ImageDraw.Draw(image)
    font = mrz_font()
    left = (image.width - len(lines[0]) * MRZ_PITCH_PX) // 2
    top = image.height - bottom_margin - len(lines) * MRZ_LINE_PX
    for row, line in enumerate(lines):
        for column, character in enumerate(line):
            at = (left + column * MRZ_PITCH_PX, top + row * MRZ_LINE_PX)
            draw.text(at, character, font=font, fill=(20, 20, 20))


def specimen(holder: Holder | None = None, *, kind: str = "td3", seed: int = 7) -> Image.Image:
    """A passport data page (td3) or the back of an identity card (td1) at 300 dpi."""
    holder, rng = holder or Holder(), random.Random(seed)
    if kind == "td3":
        image = _background(ID3_AT_300_DPI, "PASSPORT  PASSEPORT  SPECIMEN")
        draw = ImageDraw.Draw(image)
        _portrait(draw, 60, 120)
        _data_lines(draw, rng, 380, 120, 9)
    else:
        image = _background(ID1_AT_300_DPI, "IDENTITY CARD  SPECIMEN")
        _data_lines(ImageDraw.Draw(image), rng, 40, 100, 4)
    draw_mrz(image, mrz_lines(holder, kind), bottom_margin=40 if kind == "td3" else 30)
    return image


def card(seed: int = 7) -> Image.Image:
    """The front of an ID-1 card at 300 dpi: guilloche, a portrait, data lines and a TD1 zone."""
    image = _background(ID1_AT_300_DPI, "IDENTITY CARD  CARTE D'IDENTITE")
    draw = ImageDraw.Draw(image)
    _portrait(draw, 40, 110)
    _data_lines(draw, random.Random(seed), 330, 110, 7)
    draw_mrz(image, mrz_lines(Holder(), "td1"), bottom_margin=12)
    return image


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def sharp_card() -> bytes:
    return png(card())


def blurred_card() -> bytes:
    return png(card().filter(ImageFilter.GaussianBlur(4)))


def main(argv: list[str] | None = None) -> None:
    """`idpro-specimen-scan card.png [--blurred | --passport]`: a synthetic scan for the wizard."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("--blurred", action="store_true", help="one intake refuses as blurred")
    parser.add_argument("--passport", action="store_true", help="a passport page (TD3 zone)")
    args = parser.parse_args(argv)
    data = sharp_card()
    if args.passport:
        data = png(specimen(kind="td3"))
    elif args.blurred:
        data = blurred_card()
    args.output.write_bytes(data)
    print(f"wrote {args.output} (a synthetic specimen, no real person)")


if __name__ == "__main__":
    main()
