"""batches keep the upload's correlation id, so the requests their rows make carry it

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 17:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("batches", sa.Column("correlation_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    op.drop_column("batches", "correlation_id")
