"""The list query: sort orders, filters and an opaque keyset cursor, as one SELECT."""

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, false, func, literal_column, select, tuple_

from contracts import RequestStatus
from eventing.problems import Problem
from history.domain import name_query
from history.tables import LISTED, RequestSummary

S = RequestSummary
BRUSSELS = ZoneInfo("Europe/Brussels")
# Each order ends in request_id, so a page boundary between equal values is still exact.
SORTS: dict[str, tuple[Any, ...]] = {
    "last_change": (S.last_change_at,),
    "submitted": (S.submitted_at,),
    "status": (S.status, S.last_change_at),
    "requester": (S.requester_key, S.last_change_at),
    "worker_name": (S.worker_name_key,),
}
ORDERS = ("asc", "desc")


@dataclass(frozen=True)
class Filters:
    statuses: frozenset[RequestStatus] = frozenset()
    requester_id: str | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    action_required: bool | None = None
    search: str | None = None


@dataclass(frozen=True)
class Page:
    sort: str = "last_change"
    order: str = "desc"
    after: tuple[Any, ...] | None = None
    limit: int = 50
    filters: Filters = field(default_factory=Filters)


def bad_parameter(parameter: str, title: str) -> Problem:
    return Problem(400, f"query.invalid_{parameter}", title, parameter=parameter)


def check_sort(sort: str, order: str) -> None:
    if sort not in SORTS:
        raise bad_parameter("sort", f"sort must be one of: {', '.join(SORTS)}.")
    if order not in ORDERS:
        raise bad_parameter("order", "order must be asc or desc.")


def parse_statuses(values: Sequence[str]) -> frozenset[RequestStatus]:
    try:
        return frozenset(RequestStatus(v) for v in values)
    except ValueError:
        allowed = ", ".join(s.value for s in RequestStatus)
        raise bad_parameter("status", f"status must be among: {allowed}.") from None


def encode_cursor(page: Page, row: RequestSummary, *, key: bytes) -> str:
    """The position after `row`: its id and the order, signed, and no value of the row (the
    folded worker name was in it, and a cursor travels in URLs and logs)."""
    body = json.dumps({"s": page.sort, "o": page.order, "r": str(row.request_id)}).encode()
    return f"{_b64(body)}.{_b64(_sign(body, key))}"


def decode_cursor(cursor: str, *, sort: str, order: str, key: bytes) -> UUID:
    """The id of the row a page ends at; a 400 naming `cursor` if it is not one of ours."""
    try:
        encoded, _, signature = cursor.partition(".")
        body = base64.urlsafe_b64decode(encoded.encode() + b"==")
        if not hmac.compare_digest(
            base64.urlsafe_b64decode(signature.encode() + b"=="), _sign(body, key)
        ):
            raise ValueError("not signed by us")
        fields = json.loads(body)
        if fields["s"] != sort or fields["o"] != order:
            raise ValueError("cursor of another order")
        return UUID(fields["r"])
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        raise bad_parameter("cursor", "The cursor is not valid for this sort order.") from None


def position_of(row: RequestSummary, sort: str) -> tuple[Any, ...]:
    """The keyset values of `row` in this sort order, read again from the row itself."""
    return (*(getattr(row, column.key) for column in SORTS[sort]), row.request_id)


def _sign(body: bytes, key: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).digest()[:16]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def list_statement(employer_id: str, page: Page) -> Select:
    """One page (plus one row, to know whether another page follows)."""
    columns = (*SORTS[page.sort], S.request_id)
    stmt = select(S).where(*conditions(employer_id, page.filters))
    if page.after is not None:
        position = tuple_(*columns)
        bound = tuple_(*page.after)
        stmt = stmt.where(position > bound if page.order == "asc" else position < bound)
    ordered = [c.asc() if page.order == "asc" else c.desc() for c in columns]
    return stmt.order_by(*ordered).limit(page.limit + 1)


def counts_statement(employer_id: str, filters: Filters) -> Select:
    """Requests per status under every filter but the status one (facet counts)."""
    unfiltered = Filters(
        requester_id=filters.requester_id,
        submitted_from=filters.submitted_from,
        submitted_to=filters.submitted_to,
        search=filters.search,
    )
    return (
        select(S.status, func.count())
        .where(*conditions(employer_id, unfiltered))
        .group_by(S.status)
    )


def conditions(employer_id: str, filters: Filters) -> list[ColumnElement[bool]]:
    """The tenant first, then every filter the caller set."""
    where: list[ColumnElement[bool]] = [S.employer_id == employer_id, LISTED]
    statuses = _wanted_statuses(filters)
    if statuses is not None:
        where.append(S.status.in_(sorted(statuses)) if statuses else false())
    if filters.requester_id is not None:
        where.append(S.requester_id == filters.requester_id)
    if filters.submitted_from is not None:
        where.append(S.submitted_at >= _start_of(filters.submitted_from))
    if filters.submitted_to is not None:
        where.append(S.submitted_at < _start_of(filters.submitted_to + timedelta(days=1)))
    if filters.search and (query := name_query(filters.search)):
        where.append(S.worker_search.op("@@")(func.to_tsquery(literal_column("'simple'"), query)))
    return where


def _wanted_statuses(filters: Filters) -> set[RequestStatus] | None:
    """The status filter; action_required is exactly one status, so the status index serves it."""
    statuses = set(filters.statuses) or None
    action = RequestStatus.INFORMATION_REQUESTED
    if filters.action_required is True:
        return statuses & {action} if statuses else {action}
    if filters.action_required is False:
        return (statuses or set(RequestStatus)) - {action}
    return statuses


def _start_of(day: date) -> datetime:
    """Days are Brussels calendar days: that is what the employer means by 'submitted on'."""
    return datetime.combine(day, time.min, tzinfo=BRUSSELS)
