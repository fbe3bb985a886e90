"""The one backoff rule (pure): exponential, capped, with jitter between half and all of the
ceiling. Background loops (eventing.workers), consumers' retries, and the notifier's and the
webhooks' per-message retry schedules all wait by it."""

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter between half and all of the ceiling."""

    initial_s: float = 0.2
    max_s: float = 10.0

    def ceiling(self, failures: int) -> float:
        # The exponent is capped: 2 ** 1024 no longer converts to a float (OverflowError).
        return min(self.max_s, self.initial_s * 2 ** min(max(failures, 1) - 1, 60))

    def delay(self, failures: int) -> float:
        ceiling = self.ceiling(failures)
        return random.uniform(ceiling / 2, ceiling)
