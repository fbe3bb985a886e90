"""requests record the mandatary (social secretariat or service provider) that sent them

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 03:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("requests", sa.Column("mandatary_id", sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.drop_column("requests", "mandatary_id")
