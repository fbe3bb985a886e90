"""endpoints.consecutive_failures and next_probe_at (a failing endpoint is probed with one slot,
after a backoff of its own); an index for the claim's per-endpoint probes

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 23:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "endpoints",
        sa.Column("consecutive_failures", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column(
        "endpoints", sa.Column("next_probe_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_index(
        "ix_deliveries_pending_endpoint",
        "deliveries",
        ["endpoint_id", "next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("status = 'pending'"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_deliveries_pending_endpoint",
        table_name="deliveries",
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.drop_column("endpoints", "next_probe_at")
    op.drop_column("endpoints", "consecutive_failures")
