"""Decide on each submitted or corrected request; close the review cases of a cancelled one;
remember an expired one."""

from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from contracts import Event, InfoProvided, RequestCancelled, RequestExpired, RequestSubmitted
from matching.service import Matching

Handler = Callable[[Event, AsyncSession], Awaitable[None]]


def handlers(matching: Matching) -> Mapping[type[Event], Handler]:
    """Event type → handler, each bound to this service's matcher and outbox."""

    async def on_request_submitted(event: RequestSubmitted, tx: AsyncSession) -> None:
        await matching.decide_request(tx, event, event.data)

    async def on_info_provided(event: InfoProvided, tx: AsyncSession) -> None:
        await matching.supersede(tx, event, event.data)

    async def on_request_cancelled(event: RequestCancelled, tx: AsyncSession) -> None:
        await matching.cancel(tx, event)

    async def on_request_expired(event: RequestExpired, tx: AsyncSession) -> None:
        await matching.expire(tx, event)

    return {
        RequestSubmitted: on_request_submitted,
        InfoProvided: on_info_provided,
        RequestCancelled: on_request_cancelled,
        RequestExpired: on_request_expired,
    }
