"""history's read model: one row per request, one timeline entry per event."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Computed, DateTime, ForeignKey, Index, Integer, MetaData, String, text
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from eventing.tables import define_plumbing_tables

# Only requests whose RequestSubmitted has arrived are listed; every list index is partial on it,
# so a count per status is an index-only scan and stubs never cost the list anything.
LISTED = text("submitted_at IS NOT NULL")


def _listed_index(name: str, *columns: str) -> Index:
    """A btree for one sort order of one employer's list, ending in the request_id tie-break."""
    return Index(name, "employer_id", *columns, "request_id", postgresql_where=LISTED)


class Base(DeclarativeBase):
    metadata = MetaData()


class RequestSummary(Base):
    __tablename__ = "request_summaries"
    __table_args__ = (
        _listed_index("ix_summaries_listed_last_change", "last_change_at"),
        _listed_index("ix_summaries_listed_submitted", "submitted_at"),
        _listed_index("ix_summaries_listed_status", "status", "last_change_at"),
        _listed_index("ix_summaries_listed_requester", "requester_key", "last_change_at"),
        _listed_index("ix_summaries_listed_requester_id", "requester_id", "last_change_at"),
        _listed_index("ix_summaries_listed_worker", "worker_name_key"),
        # Word-prefix search without any extension: a 'simple' tsvector over the normalised name.
        Index("ix_summaries_worker_search", "worker_search", postgresql_using="gin"),
    )

    request_id: Mapped[UUID] = mapped_column(primary_key=True)
    employer_id: Mapped[str] = mapped_column(String(20))
    # A late RequestSubmitted fills these in; until then a decision may create the row first.
    worker_name: Mapped[str | None] = mapped_column(String(400))
    # Lower-case, accent-free forms computed in Python (the service role may not create extensions).
    worker_name_key: Mapped[str] = mapped_column(String(400), server_default="")
    worker_search = mapped_column(
        TSVECTOR,
        Computed("to_tsvector('simple'::regconfig, (worker_name_key)::text)", persisted=True),
    )
    requester_id: Mapped[str | None] = mapped_column(String(200))
    requester_name: Mapped[str | None] = mapped_column(String(200))
    requester_key: Mapped[str] = mapped_column(String(200), server_default="")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str | None] = mapped_column(String(40))
    status_version: Mapped[int] = mapped_column(Integer, default=0)
    # The request_version whose personal data the row shows: an older correction never wins.
    data_version: Mapped[int] = mapped_column(Integer, server_default="0")
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


READ_MODEL = (RequestSummary.__table__, TimelineEntry.__table__)

outbox_messages, processed_events = define_plumbing_tables(Base.metadata)
