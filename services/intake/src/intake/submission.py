"""Checked data becomes a request, or a new version of one, exactly once per Idempotency-Key."""

import zlib
from datetime import datetime
from uuid import uuid4

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contracts import InfoProvided, Language, RequestData, RequestStatus, RequestSubmitted
from eventing import correlation
from eventing.auth import Principal
from eventing.outbox import Outbox
from eventing.problems import Problem
from intake import repository
from intake.domain import check_minimum_data, fingerprint, person_key
from intake.tables import Request
from intake.validation import DirectSubmit


async def replayed(
    tx: AsyncSession, *, employer: str, key: str, fingerprint: str
) -> Request | None:
    """The request an earlier call with this key made, or None (the key locked till commit)."""
    # Serialise concurrent retries of one key: the second waits, then finds the first.
    await tx.execute(select(func.pg_advisory_xact_lock(zlib.crc32(f"{employer}:{key}".encode()))))
    known = await repository.load_idempotency_key(tx, employer_id=employer, key=key)
    if known is None:
        return None
    if known.fingerprint != fingerprint:
        raise Problem(
            422, "idempotency.key_reused", "This Idempotency-Key was used for a different request."
        )
    return await repository.load_request(tx, known.request_id)


def refuse_unless_awaiting_information(row: Request) -> None:
    """Only a request whose information was asked for may be answered (409 otherwise)."""
    if row.status != RequestStatus.INFORMATION_REQUESTED.value:
        raise Problem(
            409,
            "request.not_awaiting_information",
            "No information is requested for this request.",
            status_now=row.status,
        )


def refuse_unless_identifiable(data: RequestData) -> None:
    """The minimum identification data rule, naming the closest alternative and what it lacks."""
    verdict = check_minimum_data(data)
    if not verdict.met:
        raise Problem(
            422,
            "mid.not_met",
            "The minimum identification data are not met.",
            params={"alternative": verdict.alternative, "missing": list(verdict.missing)},
        )


async def submit_direct(
    tx: AsyncSession,
    outbox: Outbox,
    body: DirectSubmit,
    *,
    principal: Principal,
    employer: str,
    key: str,
    now: datetime,
) -> tuple[Request, bool]:
    """One whole request (POST /requests, or a batch's row): the request this key made, new or
    earlier (then True: a replay); refused as a Problem when the data do not identify."""
    digest = fingerprint(body.model_dump(mode="json"))
    earlier = await replayed(tx, employer=employer, key=key, fingerprint=digest)
    if earlier is not None:
        return earlier, True
    data = RequestData.model_validate(body.model_dump(exclude={"notification_email", "language"}))
    refuse_unless_identifiable(data)
    row = await create_request(
        tx,
        outbox,
        principal=principal,
        employer=employer,
        data=data,
        email=body.notification_email,
        language=body.language,
        key=key,
        fingerprint=digest,
        now=now,
    )
    return row, False


async def create_request(
    tx: AsyncSession,
    outbox: Outbox,
    *,
    principal: Principal,
    employer: str,
    data: RequestData,
    email: str,
    language: Language,
    key: str,
    fingerprint: str,
    now: datetime,
) -> Request:
    """Store version 1 and stage RequestSubmitted in the same transaction."""
    person = data.person
    row = Request(
        id=uuid4(),
        employer_id=employer,
        requester_id=principal.subject,
        requester_name=principal.name,
        mandatary_id=principal.mandatary_id,
        status=RequestStatus.SUBMITTED.value,
        version=1,
        data=data.model_dump(mode="json"),
        notification_email=email,
        language=language,
        outcome={},
        submitted_at=now,
        updated_at=now,
        person_key=person_key(person.surnames, person.given_names, person.birth_date),
    )
    await repository.save_new_request(tx, row, key=key, fingerprint=fingerprint)
    await repository.attach_documents(
        tx, [d.document_id for d in data.documents], request_id=row.id
    )
    await outbox.stage(
        tx,
        RequestSubmitted(
            producer="intake",
            correlation_id=correlation.current(),
            request_id=row.id,
            employer_id=employer,
            request_version=1,
            requester_id=principal.subject,
            requester_name=principal.name,
            mandatary_id=principal.mandatary_id,
            data=data,
            notification_email=email,
            language=language,
        ),
    )
    return row


async def resubmit(
    tx: AsyncSession,
    outbox: Outbox,
    row: Request,
    *,
    principal: Principal,
    data: RequestData,
    key: str,
    fingerprint: str,
    now: datetime,
) -> Request:
    """Answer an information request: a new version, back to submitted, InfoProvided staged."""
    refuse_unless_awaiting_information(row)
    person = data.person
    row.version += 1
    row.status, row.outcome, row.updated_at = RequestStatus.SUBMITTED.value, {}, now
    row.data = data.model_dump(mode="json")
    row.person_key = person_key(person.surnames, person.given_names, person.birth_date)
    repository.save_version(tx, row, created_by=principal.subject)
    repository.save_idempotency_key(tx, row, key=key, fingerprint=fingerprint)
    await repository.attach_documents(
        tx, [d.document_id for d in data.documents], request_id=row.id
    )
    await outbox.stage(
        tx,
        InfoProvided(
            producer="intake",
            correlation_id=correlation.current(),
            request_id=row.id,
            employer_id=row.employer_id,
            request_version=row.version,
            provided_by=principal.subject,
            provided_by_name=principal.name,
            data=data,
        ),
    )
    return row
