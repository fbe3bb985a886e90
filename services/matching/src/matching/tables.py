"""matching's own database: BIS counters and numbers, decisions (the registry comes in issue 4)."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import DateTime, Integer, MetaData, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from eventing.tables import define_plumbing_tables
from matching.bis_repository import define_bis_tables


class Base(DeclarativeBase):
    metadata = MetaData()


class Decision(Base):
    """One decision per request version, with its explanation."""

    __tablename__ = "decisions"

    request_id: Mapped[UUID] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[str] = mapped_column(String(20), index=True)
    outcome: Mapped[str] = mapped_column(String(30))
    ssin: Mapped[str | None] = mapped_column(String(11))
    explanation: Mapped[dict] = mapped_column(JSONB, default=dict)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


bis_counters, bis_numbers = define_bis_tables(Base.metadata)
outbox_messages, processed_events = define_plumbing_tables(Base.metadata)
