"""What every route needs: the parts intake.app provides, the caller's employer, not-found answers.

Dependencies are `async def`: FastAPI runs a plain `def` dependency in a worker thread, a thread
hop per dependency per request (a sixth of intake's CPU under load, by py-spy).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Protocol

from fastapi import Depends, Header

from contracts.access import may_write
from eventing.auth import CurrentPrincipal, Principal, employer_of
from eventing.http import Sessions
from eventing.outbox import Outbox
from eventing.parts import Part
from eventing.problems import Problem
from intake.api.uploads import Decoder
from intake.config import IntakeSettings
from intake.mrz.worker import MrzWorker
from intake.quota import DecodeQuota
from intake.status_watch import StatusChanges


class Wakeable(Protocol):
    """intake.batching.BatchWorker, as the batch routes see it (it imports the API's views)."""

    def wake(self) -> None: ...


# What intake's composition root (intake.app) provides to its routes.
OUTBOX: Part[Outbox] = Part("outbox")
SETTINGS: Part[IntakeSettings] = Part("settings")
CLOCK: Part[Callable[[], datetime]] = Part("clock")
DECODER: Part[Decoder] = Part("decoder")
QUOTA: Part[DecodeQuota] = Part("decode quota")
MRZ: Part[MrzWorker] = Part("MRZ reader")
STATUS_CHANGES: Part[StatusChanges] = Part("status changes")
BATCHES: Part[Wakeable] = Part("batch worker")


async def _employer(principal: CurrentPrincipal) -> str:
    return employer_of(principal)


StagedEvents = Annotated[Outbox, Depends(OUTBOX)]
Settings = Annotated[IntakeSettings, Depends(SETTINGS)]
Clock = Annotated[Callable[[], datetime], Depends(CLOCK)]
# Checks scans a few at a time per process; the employer's decode quota pays for each.
Decodes = Annotated[Decoder, Depends(DECODER)]
Quota = Annotated[DecodeQuota, Depends(QUOTA)]
MrzReader = Annotated[MrzWorker, Depends(MRZ)]
Changes = Annotated[StatusChanges, Depends(STATUS_CHANGES)]
Batches = Annotated[Wakeable, Depends(BATCHES)]
# The tenant comes from the token only; every query filters on it, so others' rows read as 404.
Employer = Annotated[str, Depends(_employer)]
Caller = CurrentPrincipal
IdempotencyKey = Annotated[str, Header(alias="Idempotency-Key", min_length=8, max_length=200)]

__all__ = [
    "Batches",
    "Caller",
    "Changes",
    "Clock",
    "Decodes",
    "Employer",
    "IdempotencyKey",
    "MrzReader",
    "Principal",
    "Quota",
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
