"""Who can get a number through this service (DOMAIN.md, "Who cannot get a number here"). Pure.

One rule for intake (the form refuses at once, with the reason and where to go instead) and for
matching (which decides, and never trusts that every producer applied the form's rule).
"""

from __future__ import annotations

from datetime import date

from contracts.codes import RejectReason
from contracts.dates import parse_birth_date
from contracts.values import EmploymentKind

# Foreign job students may be declared in Dimona without the number; occasional workers in
# agriculture and horticulture go to the municipality. The labels (reject_reason) say so.
REFUSED: dict[EmploymentKind, RejectReason] = {
    "job_student": "job_student",
    "occasional_agriculture": "occasional_agriculture_worker",
}

# Belgian law (Act of 16 March 1971 on work, art. 6-7): no work before 15, and not while
# full-time compulsory schooling lasts; the back office checks the exceptions.
LEGAL_WORKING_AGE = 15


def refusal(employment: EmploymentKind | str | None) -> RejectReason | None:
    """The reason this kind of employment gets no number here, or None when it may."""
    return REFUSED.get(employment)  # type: ignore[arg-type]


def is_belgian(*, nationality: str | None, residence_country: str | None) -> bool:
    """Belgian nationality or main residence: the person has (or gets) a National Register number."""
    return nationality == "BE" or residence_country == "BE"


def possibly_under_working_age(
    birth_date: str | None, *, on: date, minimum: int = LEGAL_WORKING_AGE
) -> bool:
    """True when the worker may be younger than `minimum` on `on`.

    A partial date is read at its latest possible day: less data must not hide a minor.
    """
    try:
        birth = parse_birth_date(birth_date)
    except ValueError:
        return False
    if birth is None:
        return False
    latest = _latest(birth.year, birth.month, birth.day)
    age = on.year - latest.year - ((on.month, on.day) < (latest.month, latest.day))
    return age < minimum


def _latest(year: int, month: int | None, day: int | None) -> date:
    if month is None:
        return date(year, 12, 31)
    if day is None:
        following = date(year + (month == 12), month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return date(year, month, day)
