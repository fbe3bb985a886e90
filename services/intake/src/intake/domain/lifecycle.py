"""The request lifecycle owned by intake, and the fingerprint of a submission."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from contracts import FINAL_STATUSES, RequestStatus, supersedes


def fingerprint(payload: dict[str, Any]) -> str:
    """A stable hash of a submission: the same Idempotency-Key must come with the same body."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Lifecycle:
    status: RequestStatus
    version: int

    def moved_to(self, status: RequestStatus, *, version: int) -> "Lifecycle | None":
        """The new state, or None when the event is stale (order-tolerant)."""
        if supersedes(status, version, current=self.status, current_version=self.version):
            return Lifecycle(status, max(version, self.version))
        return None

    @property
    def cancellable(self) -> bool:
        return self.status not in FINAL_STATUSES
