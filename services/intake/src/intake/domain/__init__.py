"""Pure rules of intake."""

from intake.domain.lifecycle import Lifecycle, fingerprint

__all__ = ["Lifecycle", "fingerprint"]
