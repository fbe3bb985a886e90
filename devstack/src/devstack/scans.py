"""Synthetic identity-card scans (specimens): a sharp one intake accepts, a blurred one it refuses."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ID1_AT_300_DPI = (1011, 638)  # 85.6 x 54 mm


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def card(seed: int = 7) -> Image.Image:
    """An ID-1 card at 300 dpi: guilloche, a portrait, data lines and a 3-line MRZ."""
    rng = random.Random(seed)
    image = Image.new("RGB", ID1_AT_300_DPI, (236, 232, 222))
    draw = ImageDraw.Draw(image)
    for x in range(0, image.width, 9):
        draw.line([(x, 0), (x + 120, image.height)], fill=(222, 226, 232))
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
    for i, line in enumerate(
        (
            "IDPOL590330101<<<<<<<<<<<<<<<",
            "9004022F3104301POL<<<<<<<<<<6",
            "SPECIMEN<<ANNA<MARIA<<<<<<<<<",
        )
    ):
        draw.text((40, 462 + i * 52), line, font=_font(30), fill=(20, 20, 20))
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
    """`idpro-specimen-scan card.png [--blurred]`: a synthetic card scan to try the wizard."""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("--blurred", action="store_true", help="one intake refuses as blurred")
    args = parser.parse_args(argv)
    args.output.write_bytes(blurred_card() if args.blurred else sharp_card())
    print(f"wrote {args.output} (a synthetic specimen, no real person)")


if __name__ == "__main__":
    main()
