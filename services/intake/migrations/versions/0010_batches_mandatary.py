"""batches record the mandatary that uploaded them, so their requests do too

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 03:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("batches", sa.Column("mandatary_id", sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.drop_column("batches", "mandatary_id")
