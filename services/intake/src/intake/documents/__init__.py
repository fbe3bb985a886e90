"""Checking and normalising scans of identity documents: pure code over bytes."""

from contracts import LANGUAGES

from .errors import DocumentRefused
from .limits import Limits, PageSize, QualityThresholds, StoredDocument
from .messages import MESSAGES, message
from .names import safe_display_name
from .normalise import check_page_budget, checking_cost, inspect_and_normalise
from .quality import QualityReport, measure
from .sniff import sniff_media_type
from .streaming import read_limited

__all__ = [
    "LANGUAGES",
    "MESSAGES",
    "DocumentRefused",
    "Limits",
    "PageSize",
    "QualityReport",
    "QualityThresholds",
    "StoredDocument",
    "check_page_budget",
    "checking_cost",
    "inspect_and_normalise",
    "measure",
    "message",
    "read_limited",
    "safe_display_name",
    "sniff_media_type",
]
