"""Bounds on what a client types, shared by every service's API: free text without control
characters, integers that fit PostgreSQL's bigint, days a datetime can hold.

PostgreSQL refuses NUL in text and integers past 2^63 - 1, and `datetime` ends at year 1 and
9999: unchecked, each was a 500. Here each is a 422 naming the field, never echoing the value.
"""

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

# C0 controls but tab and line breaks, DEL, C1 controls, and the Unicode separators and
# direction overrides that hide text in logs and on screens.
_PARAGRAPH_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]")
_LINE_REFUSED = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]")


def _line(value: str) -> str:
    if _LINE_REFUSED.search(value):
        raise PydanticCustomError("text.control_characters", "Control characters are not allowed.")
    return value


def _paragraph(value: str) -> str:
    if _PARAGRAPH_REFUSED.search(value):
        raise PydanticCustomError("text.control_characters", "Control characters are not allowed.")
    return value


# One line (a name, a search, a filter): no control character at all.
Line = Annotated[str, AfterValidator(_line)]
# Free text over several lines (a reason, a message): tabs and line breaks only.
Paragraph = Annotated[str, AfterValidator(_paragraph)]
# An id a client passes back: what PostgreSQL's bigint holds.
BIGINT_MAX = 2**63 - 1
RowId = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
# A calendar day of this service's life: filters outside it match nothing and would overflow.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
Day = Annotated[date, Field(ge=FIRST_DAY, le=LAST_DAY)]
