"""information request deadlines: when it was asked and when the employer was reminded

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 02:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "requests", sa.Column("info_requested_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("requests", sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
    # The deadline worker reads only the requests waiting on the employer, oldest first.
    op.create_index(
        "ix_requests_awaiting_information",
        "requests",
        ["info_requested_at"],
        postgresql_where=sa.text("status = 'information_requested'"),
    )


def downgrade() -> None:
    op.drop_index("ix_requests_awaiting_information", table_name="requests")
    op.drop_column("requests", "reminded_at")
    op.drop_column("requests", "info_requested_at")
