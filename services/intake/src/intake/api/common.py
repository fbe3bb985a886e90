"""What every route needs: the runtime, the caller's employer, the clock, not-found answers.

Dependencies are `async def`: FastAPI runs a plain `def` dependency in a worker thread, a thread
hop per dependency per request (a sixth of intake's CPU under load, by py-spy).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.access import may_write
from eventing.auth import CurrentPrincipal, Principal, employer_of
from eventing.outbox import Outbox
from eventing.problems import Problem
from eventing.runtime import ServiceRuntime
from intake.api.uploads import Decoder
from intake.config import IntakeSettings
from intake.quota import DecodeQuota


async def _runtime(request: Request) -> ServiceRuntime:
    return request.app.state.runtime


Runtime = Annotated[ServiceRuntime, Depends(_runtime)]


async def _sessions(runtime: Runtime) -> async_sessionmaker[AsyncSession]:
    return runtime.sessions


async def _outbox(runtime: Runtime) -> Outbox:
    return runtime.outbox


async def _settings(runtime: Runtime) -> IntakeSettings:
    return runtime.settings


async def _clock(request: Request) -> Callable[[], datetime]:
    return request.app.state.clock


async def _decoder(request: Request) -> Decoder:
    return request.app.state.decoder


async def _quota(request: Request) -> DecodeQuota:
    return request.app.state.quota


async def _employer(principal: CurrentPrincipal) -> str:
    return employer_of(principal)


Sessions = Annotated[async_sessionmaker[AsyncSession], Depends(_sessions)]
StagedEvents = Annotated[Outbox, Depends(_outbox)]
Settings = Annotated[IntakeSettings, Depends(_settings)]
Clock = Annotated[Callable[[], datetime], Depends(_clock)]
# Checks scans a few at a time per process; the employer's decode quota pays for each.
Decodes = Annotated[Decoder, Depends(_decoder)]
Quota = Annotated[DecodeQuota, Depends(_quota)]
# The tenant comes from the token only; every query filters on it, so others' rows read as 404.
Employer = Annotated[str, Depends(_employer)]
Caller = CurrentPrincipal
IdempotencyKey = Annotated[str, Header(alias="Idempotency-Key", min_length=8, max_length=200)]

__all__ = [
    "Caller",
    "Clock",
    "Decodes",
    "Employer",
    "IdempotencyKey",
    "Principal",
    "Quota",
    "Runtime",
    "Sessions",
    "Settings",
    "StagedEvents",
    "draft_not_found",
    "refuse_unless_writer",
    "request_not_found",
    "document_not_found",
]


def draft_not_found() -> Problem:
    return Problem(404, "draft.not_found", "No such draft.")


def request_not_found() -> Problem:
    return Problem(404, "request.not_found", "No such request.")


def document_not_found() -> Problem:
    return Problem(404, "document.not_found", "No such document.")


def refuse_unless_writer(principal: Principal, *, requester_id: str | None) -> None:
    """Every colleague reads a request; only its requester and the employer's admins change it."""
    if not may_write(principal.roles, principal.subject, requester_id=requester_id):
        raise Problem(
            403,
            "request.requester_or_admin_only",
            "Only the request's requester and the employer's admins may change it.",
        )
