"""notifier's own database: whom to tell, what to tell them, and every delivery attempt."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import DateTime, ForeignKey, Index, Integer, MetaData, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from eventing.tables import define_plumbing_tables


class Base(DeclarativeBase):
    metadata = MetaData()


class RequestContact(Base):
    """Where news about a request goes, learnt from RequestSubmitted."""

    __tablename__ = "request_contacts"

    request_id: Mapped[UUID] = mapped_column(primary_key=True)
    employer_id: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(2))
    worker_name: Mapped[str] = mapped_column(String(400))


class Notification(Base):
    """The intent to send, recorded before sending: one per (event, recipient)."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index(
            "ix_notifications_due",
            "next_attempt_at",
            postgresql_where=text("status IN ('pending', 'sending')"),
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    request_id: Mapped[UUID] = mapped_column(index=True)
    employer_id: Mapped[str] = mapped_column(String(20))
    about_event_id: Mapped[UUID] = mapped_column(unique=True)
    request_version: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(40))
    # awaiting_contact → pending → sending (claimed, leased) → sent | failed | pending again
    status: Mapped[str] = mapped_column(String(20))
    context: Mapped[dict] = mapped_column(JSONB, default=dict)
    message_id: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error_class: Mapped[str | None] = mapped_column(String(100))


class DeliveryAttempt(Base):
    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    notification_id: Mapped[UUID] = mapped_column(ForeignKey("notifications.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    outcome: Mapped[str] = mapped_column(String(20))
    smtp_code: Mapped[int | None] = mapped_column(Integer)
    error_class: Mapped[str | None] = mapped_column(String(100))


outbox_messages, processed_events = define_plumbing_tables(Base.metadata)
