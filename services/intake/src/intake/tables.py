"""intake's own database: drafts, requests, their versions, idempotency keys and scans."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from eventing.buckets import define_bucket_table
from eventing.tables import define_plumbing_tables


class Base(DeclarativeBase):
    metadata = MetaData()


class Request(Base):
    __tablename__ = "requests"
    # The duplicate warning looks up one employer's requests by normalised name and birth date.
    __table_args__ = (
        Index("ix_requests_employer_person", "employer_id", "person_key"),
        Index(
            "ix_requests_awaiting_information",
            "info_requested_at",
            postgresql_where=text("status = 'information_requested'"),
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    employer_id: Mapped[str] = mapped_column(String(20), index=True)
    requester_id: Mapped[str] = mapped_column(String(200))
    requester_name: Mapped[str | None] = mapped_column(String(200))
    # Who sent it for the employer: a social secretariat's or service provider's number.
    mandatary_id: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[dict] = mapped_column(JSONB)
    notification_email: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(2))
    ssin: Mapped[str | None] = mapped_column(String(11))
    ssin_kind: Mapped[str | None] = mapped_column(String(30))
    # What the last status change said to the employer (codes and ids, shown translated).
    outcome: Mapped[dict] = mapped_column(JSONB, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    person_key: Mapped[str | None] = mapped_column(String(400))
    # When the request reached a final status: the retention period of its scans starts here.
    finalised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # While information is requested: since when, and when the employer was reminded (once).
    info_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RequestVersion(Base):
    """Every version of the request data: the submitted one and each answer to an info request."""

    __tablename__ = "request_versions"

    request_id: Mapped[UUID] = mapped_column(ForeignKey("requests.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[dict] = mapped_column(JSONB)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("employer_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    employer_id: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[UUID] = mapped_column(ForeignKey("requests.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Draft(Base):
    """A request being written, step by step; it belongs to the employer, its author is recorded."""

    __tablename__ = "drafts"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    employer_id: Mapped[str] = mapped_column(String(20), index=True)
    requester_id: Mapped[str] = mapped_column(String(200))
    requester_name: Mapped[str | None] = mapped_column(String(200))
    # Set when the draft answers an information request: submitting it resubmits that request.
    amends_request_id: Mapped[UUID | None] = mapped_column(ForeignKey("requests.id"), index=True)
    # {"document": {...}, "person": {...}, "address": {...}}: each step saved on its own.
    steps: Mapped[dict] = mapped_column(JSONB, default=dict)
    # The document ids in page order.
    pages: Mapped[list] = mapped_column(JSONB, default=list)
    submitted_request_id: Mapped[UUID | None] = mapped_column(ForeignKey("requests.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Document(Base):
    """A checked scan: typed by content, named by us; its bytes live in document_contents."""

    __tablename__ = "documents"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    employer_id: Mapped[str] = mapped_column(String(20), index=True)
    draft_id: Mapped[UUID | None] = mapped_column(ForeignKey("drafts.id", ondelete="SET NULL"))
    request_id: Mapped[UUID | None] = mapped_column(ForeignKey("requests.id"), index=True)
    media_type: Mapped[str] = mapped_column(String(40))
    page_count: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    # The client's file name made safe, for display only (cleared when the scan is purged).
    display_name: Mapped[str | None] = mapped_column(String(100))
    uploaded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DocumentContent(Base):
    """A scan's bytes, apart: listing documents never loads them; every replica reads them."""

    __tablename__ = "document_contents"

    document_id: Mapped[UUID] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DocumentPurge(Base):
    """One row per scan deleted at the end of its retention period."""

    __tablename__ = "document_purges"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    document_id: Mapped[UUID] = mapped_column(ForeignKey("documents.id"), index=True)
    request_id: Mapped[UUID | None] = mapped_column(ForeignKey("requests.id"))
    purged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(String(40))


class DocumentReading(Base):
    """The machine-readable zone read from a scan: queued at upload, read by the MRZ worker.

    Personal data: deleted with the scan (cascade) and when its retention period ends.
    """

    __tablename__ = "document_readings"
    __table_args__ = (Index("ix_document_readings_queue", "status", "lease_until"),)

    document_id: Mapped[UUID] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    # pending | read (a zone found) | no_zone | failed (timed out or the OCR failed) | unavailable
    status: Mapped[str] = mapped_column(String(20))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # td1 | td3, the check digits ({name: bool}), those repaired, and the fields in step terms.
    format: Mapped[str | None] = mapped_column(String(8))
    checks: Mapped[dict] = mapped_column(JSONB, default=dict)
    repaired: Mapped[list] = mapped_column(JSONB, default=list)
    fields: Mapped[dict] = mapped_column(JSONB, default=dict)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Batch(Base):
    """An upload of many requests (CSV or JSON); its rows are processed in chunks by a worker."""

    __tablename__ = "batches"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    employer_id: Mapped[str] = mapped_column(String(20), index=True)
    requester_id: Mapped[str] = mapped_column(String(200))
    requester_name: Mapped[str | None] = mapped_column(String(200))
    # The social secretariat that uploaded it for the employer: its rows' requests record it.
    mandatary_id: Mapped[str | None] = mapped_column(String(20))
    # What the rows' Idempotency-Keys derive from: the caller's key, or the upload's hash.
    batch_key: Mapped[str] = mapped_column(String(150))
    source: Mapped[str] = mapped_column(String(10))  # csv | json
    # The user's column for each field (CSV), to name them in the result file.
    mapping: Mapped[dict] = mapped_column(JSONB, default=dict)
    status: Mapped[str] = mapped_column(String(20))  # processing | done
    total: Mapped[int] = mapped_column(Integer)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The upload's correlation id (the caller's x-correlation-id), carried by its rows' events.
    correlation_id: Mapped[UUID | None] = mapped_column()


class BatchRow(Base):
    """One row of a batch: its input until processed, then the request it made or why not."""

    __tablename__ = "batch_rows"

    batch_id: Mapped[UUID] = mapped_column(
        ForeignKey("batches.id", ondelete="CASCADE"), primary_key=True
    )
    row_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(10))  # pending | accepted | refused
    # The body of one POST /requests (personal data): cleared once the row is processed.
    input: Mapped[dict | None] = mapped_column(JSONB)
    request_id: Mapped[UUID | None] = mapped_column(ForeignKey("requests.id"))
    # Refusals as [{field, code, params}]: codes and limits, never the input.
    errors: Mapped[list] = mapped_column(JSONB, default=list)


# Each employer's decode quota (eventing.buckets): what checking its scans may cost, in MB.
decode_quotas = define_bucket_table(Base.metadata, "decode_quotas")

outbox_messages, processed_events = define_plumbing_tables(Base.metadata)
