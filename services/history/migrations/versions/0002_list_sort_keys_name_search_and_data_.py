"""list sort keys, name search and data version

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 01:49:55.988144
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from history.domain import fold

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LISTED = sa.text("submitted_at IS NOT NULL")
# name → columns after employer_id; each ends in request_id (the keyset tie-break).
LIST_INDEXES = {
    "ix_summaries_listed_last_change": ["last_change_at"],
    "ix_summaries_listed_requester": ["requester_key", "last_change_at"],
    "ix_summaries_listed_requester_id": ["requester_id", "last_change_at"],
    "ix_summaries_listed_status": ["status", "last_change_at"],
    "ix_summaries_listed_submitted": ["submitted_at"],
    "ix_summaries_listed_worker": ["worker_name_key"],
}


def upgrade() -> None:
    op.add_column(
        "request_summaries",
        sa.Column("worker_name_key", sa.String(length=400), server_default="", nullable=False),
    )
    op.add_column(
        "request_summaries",
        sa.Column(
            "worker_search",
            postgresql.TSVECTOR(),
            sa.Computed(
                "to_tsvector('simple'::regconfig, (worker_name_key)::text)", persisted=True
            ),
            nullable=True,
        ),
    )
    op.add_column(
        "request_summaries",
        sa.Column("requester_key", sa.String(length=200), server_default="", nullable=False),
    )
    op.add_column(
        "request_summaries",
        sa.Column("data_version", sa.Integer(), server_default="0", nullable=False),
    )
    _backfill_keys()
    op.drop_index("ix_summaries_employer_last_change", table_name="request_summaries")
    for name, columns in LIST_INDEXES.items():
        op.create_index(
            name,
            "request_summaries",
            ["employer_id", *columns, "request_id"],
            unique=False,
            postgresql_where=LISTED,
        )
    op.create_index(
        "ix_summaries_worker_search",
        "request_summaries",
        ["worker_search"],
        unique=False,
        postgresql_using="gin",
    )


def _backfill_keys() -> None:
    """Rows projected before 0002 get the keys the handler computes (in Python: no unaccent)."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT request_id, worker_name, coalesce(requester_name, requester_id) AS requester"
            " FROM request_summaries"
        )
    ).all()
    if rows:
        bind.execute(
            sa.text(
                "UPDATE request_summaries SET worker_name_key = :worker, requester_key = :requester,"
                " data_version = CASE WHEN worker_name IS NULL THEN 0 ELSE status_version END"
                " WHERE request_id = :id"
            ),
            [
                {"id": r.request_id, "worker": fold(r.worker_name), "requester": fold(r.requester)}
                for r in rows
            ],
        )


def downgrade() -> None:
    op.drop_index(
        "ix_summaries_worker_search", table_name="request_summaries", postgresql_using="gin"
    )
    for name in reversed(LIST_INDEXES):
        op.drop_index(name, table_name="request_summaries")
    op.create_index(
        "ix_summaries_employer_last_change",
        "request_summaries",
        ["employer_id", "last_change_at", "request_id"],
        unique=False,
    )
    op.drop_column("request_summaries", "data_version")
    op.drop_column("request_summaries", "requester_key")
    op.drop_column("request_summaries", "worker_search")
    op.drop_column("request_summaries", "worker_name_key")
