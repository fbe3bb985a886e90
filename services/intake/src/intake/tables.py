"""intake's own database: requests, their versions and idempotency keys."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import DateTime, ForeignKey, Integer, MetaData, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from eventing.tables import define_plumbing_tables


class Base(DeclarativeBase):
    metadata = MetaData()


class Request(Base):
    __tablename__ = "requests"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    employer_id: Mapped[str] = mapped_column(String(20), index=True)
    requester_id: Mapped[str] = mapped_column(String(200))
    requester_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    data: Mapped[dict] = mapped_column(JSONB)
    notification_email: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(2))
    ssin: Mapped[str | None] = mapped_column(String(11))
    ssin_kind: Mapped[str | None] = mapped_column(String(30))
    # What the last status change said to the employer (codes and ids, shown translated).
    outcome: Mapped[dict] = mapped_column(JSONB, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


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


outbox_messages, processed_events = define_plumbing_tables(Base.metadata)
