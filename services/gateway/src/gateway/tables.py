"""The gateway's own small database: sign-in sessions and rate-limit buckets, shared by replicas."""

from datetime import datetime

from sqlalchemy import DateTime, MetaData, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from eventing.buckets import define_bucket_table


class Base(DeclarativeBase):
    metadata = MetaData()


class Session(Base):
    """A browser's session; the cookie holds a random id, the row only that id's SHA-256."""

    __tablename__ = "sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The signed-in user's subject, to end every session of a user at once (revocation).
    subject: Mapped[str | None] = mapped_column(String(200), index=True)
    # What the portal keeps between pages; the access token in it is encrypted.
    data: Mapped[dict] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


# Token buckets of the rate limits (per user, employer, client address).
rate_buckets = define_bucket_table(Base.metadata, "rate_buckets")
