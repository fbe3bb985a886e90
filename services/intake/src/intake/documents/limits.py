"""What an uploaded document may be, and what a stored one is."""

from __future__ import annotations

from dataclasses import dataclass, field

MEBIBYTE = 1024 * 1024


@dataclass(frozen=True)
class QualityThresholds:
    """Image quality floors; see `intake.documents.quality` for why each value."""

    min_short_side: int = 600
    min_sharpness: float = 30.0
    min_paper_white: float = 96.0
    max_clipped_share: float = 0.6
    max_ink_level: float = 36.0


@dataclass(frozen=True)
class Limits:
    """Size limits of one upload and of one request's pages."""

    # A 300 dpi colour scan of a passport page is ~1-3 MB as JPEG; 4 pages as PDF stay well under.
    max_bytes: int = 10 * MEBIBYTE
    # A4 at 600 dpi is 34.8 MP and a 24 MP camera fits; what decoding costs is bounded apart.
    max_pixels: int = 40_000_000
    # What checking one image may hold in memory at its peak (decoded pixels and their
    # conversion; the encoder and the quality measure add ~20 MB): a 40 MP 8- or 16-bit grey
    # page fits; a colour JPEG over 30 MP is decoded at half size (a 600 dpi A4 scan becomes
    # 300 dpi), a colour PNG over 30 MP is refused (see intake.documents.images).
    max_decoded_bytes: int = 120_000_000
    # A passport (2 pages) or a card/licence (2 sides) with room for a visa or residence page.
    max_pages: int = 4
    quality: QualityThresholds = field(default_factory=QualityThresholds)


@dataclass(frozen=True)
class PageSize:
    """Pixel size of one stored image page."""

    width: int
    height: int


@dataclass(frozen=True)
class StoredDocument:
    """Bytes fit to store, typed by content; never carries the client's file name."""

    data: bytes
    media_type: str
    page_count: int
    sha256: str
    pages: tuple[PageSize, ...] = ()

    @property
    def extension(self) -> str:
        """File extension derived from the content type, for building a storage key."""
        return {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[self.media_type]
