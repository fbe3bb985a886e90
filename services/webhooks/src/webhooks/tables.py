"""webhooks' own database: the endpoints employers register, each delivery and each attempt."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from eventing.tables import define_plumbing_tables


class Base(DeclarativeBase):
    metadata = MetaData()


class Endpoint(Base):
    """Where an employer wants its outcomes, which ones, and the secret deliveries are signed with."""

    __tablename__ = "endpoints"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    employer_id: Mapped[str] = mapped_column(String(20), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str | None] = mapped_column(String(200))
    event_kinds: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Why deliveries stopped without an admin asking (a receiver answering 410 Gone).
    disabled_reason: Mapped[str | None] = mapped_column(String(40))
    # Fernet tokens: the secrets are needed to sign, so they are encrypted, not hashed.
    secret: Mapped[str] = mapped_column(Text)
    previous_secret: Mapped[str | None] = mapped_column(Text)
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Round robin: the endpoint served longest ago goes first.
    last_claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Failed attempts since the last success; a failing endpoint gets one slot (it is probed)
    # instead of its full concurrency, so its backlog cannot crowd out healthy receivers.
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # ... and waits until then before the next probe (the backoff of the endpoint as a whole).
    next_probe_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Delivery(Base):
    """One event for one endpoint; its id is the webhook-id, the same on every attempt and replay."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_due", "next_attempt_at", postgresql_where=text("status = 'pending'")),
        Index("ix_deliveries_endpoint_created", "endpoint_id", "created_at"),
        # The claim's per-endpoint probes: anything due, anything in flight.
        Index(
            "ix_deliveries_pending_endpoint",
            "endpoint_id",
            "next_attempt_at",
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    endpoint_id: Mapped[UUID] = mapped_column(ForeignKey("endpoints.id"))
    employer_id: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[UUID]
    request_id: Mapped[UUID]
    event_type: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict] = mapped_column(JSONB)
    # pending → delivered | failed | cancelled (endpoint deleted); a replay makes it pending again
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    # Set while a worker talks to the receiver; past it, the delivery is due again.
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The retry horizon counts from here: the first recording, or the last replay.
    window_started_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(100))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DeliveryAttempt(Base):
    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    delivery_id: Mapped[UUID] = mapped_column(ForeignKey("deliveries.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # delivered | retry | gone | failed (past the horizon) | refused (address check)
    outcome: Mapped[str] = mapped_column(String(20))
    status_code: Mapped[int | None] = mapped_column(Integer)
    error_class: Mapped[str | None] = mapped_column(String(100))
    duration_ms: Mapped[int] = mapped_column(Integer)


outbox_messages, processed_events = define_plumbing_tables(Base.metadata)
