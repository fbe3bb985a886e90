"""Decide on each submitted or corrected request; close the review cases of a cancelled one;
remember an expired one."""

from collections.abc import Awaitable, Callable, Mapping
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event, InfoProvided, RequestCancelled, RequestExpired, RequestSubmitted
from matching.service import Matching

Handler = Callable[[Event, AsyncSession], Awaitable[None]]


async def on_request_submitted(event: RequestSubmitted, tx: AsyncSession, *, matching: Matching):
    await matching.decide_request(tx, event, event.data)


async def on_info_provided(event: InfoProvided, tx: AsyncSession, *, matching: Matching) -> None:
    await matching.supersede(tx, event, event.data)


async def on_request_cancelled(event: RequestCancelled, tx: AsyncSession, *, matching: Matching):
    await matching.cancel(tx, event)


async def on_request_expired(event: RequestExpired, tx: AsyncSession, *, matching: Matching):
    await matching.expire(tx, event)


HANDLERS = {
    RequestSubmitted: on_request_submitted,
    InfoProvided: on_info_provided,
    RequestCancelled: on_request_cancelled,
    RequestExpired: on_request_expired,
}


def bound(matching: Matching) -> Mapping[type[Event], Handler]:
    """HANDLERS with this process's matcher (thresholds, outbox, caches) given to each."""
    return {
        event_type: partial(handle, matching=matching) for event_type, handle in HANDLERS.items()
    }
