"""What every matching route shares: its transaction and the service."""

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from matching.service import Matching


async def transaction(request: Request):
    async with request.app.state.runtime.sessions.begin() as tx:
        yield tx


def matching_service(request: Request) -> Matching:
    return request.app.state.matching


Tx = Annotated[AsyncSession, Depends(transaction)]
Service = Annotated[Matching, Depends(matching_service)]
