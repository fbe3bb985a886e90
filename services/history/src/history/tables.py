"""history's read model: one row per request, one timeline entry per event."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import DateTime, ForeignKey, Index, Integer, MetaData, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from eventing.tables import define_plumbing_tables


class Base(DeclarativeBase):
    metadata = MetaData()


class RequestSummary(Base):
    __tablename__ = "request_summaries"
    __table_args__ = (Index("ix_summaries_employer_last_change", "employer_id", "last_change_at", "request_id"),)

    request_id: Mapped[UUID] = mapped_column(primary_key=True)
    employer_id: Mapped[str] = mapped_column(String(20))
    # A late RequestSubmitted fills these in; until then a decision may create the row first.
    worker_name: Mapped[str | None] = mapped_column(String(400))
    requester_id: Mapped[str | None] = mapped_column(String(200))
    requester_name: Mapped[str | None] = mapped_column(String(200))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str | None] = mapped_column(String(40))
    status_version: Mapped[int] = mapped_column(Integer, default=0)
    ssin: Mapped[str | None] = mapped_column(String(11))
    action_required: Mapped[bool] = mapped_column(default=False)
    last_change_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TimelineEntry(Base):
    __tablename__ = "timeline_entries"
    __table_args__ = (Index("ix_timeline_request_time", "request_id", "occurred_at"),)

    event_id: Mapped[UUID] = mapped_column(primary_key=True)
    request_id: Mapped[UUID] = mapped_column(ForeignKey("request_summaries.request_id"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(60))
    actor: Mapped[str] = mapped_column(String(200))
    # Message key + parameters: the portal renders them in the reader's language.
    details: Mapped[dict] = mapped_column(JSONB, default=dict)


outbox_messages, processed_events = define_plumbing_tables(Base.metadata)
