"""What every matching route shares: its transaction, the service, its refusals as problems."""

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from eventing.problems import Problem
from matching.service import CaseRefused, Matching


async def transaction(request: Request):
    async with request.app.state.runtime.sessions.begin() as tx:
        yield tx


async def matching_service(request: Request) -> Matching:
    return request.app.state.matching


Tx = Annotated[AsyncSession, Depends(transaction)]
Service = Annotated[Matching, Depends(matching_service)]


async def refusing(call):
    """The service's refusal of an action as problem+json."""
    try:
        return await call
    except CaseRefused as refused:
        raise Problem(refused.status, refused.code, refused.title) from None
