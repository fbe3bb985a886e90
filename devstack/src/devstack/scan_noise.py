"""What a phone or a cheap scanner does to a document: blur, a tilt, uneven light, noise, JPEG.

Used by the MRZ benchmark and tests to read realistic, not perfect, specimens.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter


@dataclass(frozen=True)
class Degradation:
    """One draw of the noise model (every value within what intake's quality check accepts)."""

    blur_radius: float
    rotation_deg: float
    light_low: float  # the darkest corner's share of full light
    light_angle_deg: float
    noise_sigma: float
    jpeg_quality: int


def draw(rng: random.Random) -> Degradation:
    """A random degradation: blur up to 1.5 px, a tilt of up to 4 degrees, light down to 55 %."""
    return Degradation(
        blur_radius=rng.uniform(0.0, 1.5),
        rotation_deg=rng.uniform(-4.0, 4.0),
        light_low=rng.uniform(0.55, 1.0),
        light_angle_deg=rng.uniform(0.0, 360.0),
        noise_sigma=rng.uniform(0.0, 8.0),
        jpeg_quality=rng.randint(35, 90),
    )


def degrade(image: Image.Image, how: Degradation, *, seed: int = 0) -> bytes:
    """The image as a JPEG after the degradation."""
    tilted = image.convert("RGB").rotate(
        how.rotation_deg, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(250, 250, 250)
    )
    if how.blur_radius > 0:
        tilted = tilted.filter(ImageFilter.GaussianBlur(how.blur_radius))
    pixels = np.asarray(tilted, dtype=np.float32) * _light(tilted.size, how)[..., None]
    noise = np.random.default_rng(seed).normal(0.0, how.noise_sigma, pixels.shape)
    out = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), "RGB")
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=how.jpeg_quality)
    return buffer.getvalue()


def _light(size: tuple[int, int], how: Degradation) -> np.ndarray:
    """A linear light gradient across the page, from full light to `light_low`."""
    width, height = size
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = np.deg2rad(how.light_angle_deg)
    along = xs * np.cos(angle) + ys * np.sin(angle)
    span = float(along.max() - along.min()) or 1.0
    share = (along - along.min()) / span
    return (1.0 - share * (1.0 - how.light_low)).astype(np.float32)
