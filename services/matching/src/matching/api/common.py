"""What every matching route shares: the service, its refusals as problems (the transaction is
eventing.http.Transaction, as in every service)."""

from typing import Annotated

from fastapi import Depends

from eventing.parts import Part
from eventing.problems import Problem
from matching.service import CaseRefused, Matching

MATCHING: Part[Matching] = Part("matching")

Service = Annotated[Matching, Depends(MATCHING)]


async def refusing(call):
    """The service's refusal of an action as problem+json."""
    try:
        return await call
    except CaseRefused as refused:
        raise Problem(refused.status, refused.code, refused.title) from None
