"""How long a case is expected to wait in the review queue, from the queue's own recent past. Pure.

The median wait of cases with the same reason that agents decided recently, raised to the median
age of those of that reason still open when a backlog has grown past it (decided cases alone lag
behind a growing queue). In whole days, rounded up, at least one; None without any history (the
readers then show DEFAULT_REVIEW_DELAY_DAYS).
"""

import math
from datetime import timedelta

MIN_SAMPLE = 3  # fewer decided cases of one reason: the whole queue's median speaks instead
WINDOW = timedelta(days=30)


def expected_delay_days(decided: float | None, *, still_open: float | None = None) -> int | None:
    """Days from the median seconds decided cases waited and the median age of open ones."""
    known = [s for s in (decided, still_open) if s is not None]
    if decided is None or not known:
        return None
    return max(1, math.ceil(max(known) / 86400))
