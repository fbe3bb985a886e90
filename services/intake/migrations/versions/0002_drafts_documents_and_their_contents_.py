"""drafts, documents and their contents, purge log, request person key

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 01:55:04.019469
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("employer_id", sa.String(length=20), nullable=False),
        sa.Column("requester_id", sa.String(length=200), nullable=False),
        sa.Column("requester_name", sa.String(length=200), nullable=True),
        sa.Column("amends_request_id", sa.Uuid(), nullable=True),
        sa.Column("steps", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("pages", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("submitted_request_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["amends_request_id"],
            ["requests.id"],
        ),
        sa.ForeignKeyConstraint(
            ["submitted_request_id"],
            ["requests.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_drafts_amends_request_id"), "drafts", ["amends_request_id"], unique=False
    )
    op.create_index(op.f("ix_drafts_employer_id"), "drafts", ["employer_id"], unique=False)
    op.create_table(
        "documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("employer_id", sa.String(length=20), nullable=False),
        sa.Column("draft_id", sa.Uuid(), nullable=True),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=True),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["draft_id"], ["drafts.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_documents_employer_id"), "documents", ["employer_id"], unique=False)
    op.create_index(op.f("ix_documents_request_id"), "documents", ["request_id"], unique=False)
    op.create_table(
        "document_contents",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id"),
    )
    op.create_table(
        "document_purges",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_document_purges_document_id"), "document_purges", ["document_id"], unique=False
    )
    op.add_column("requests", sa.Column("person_key", sa.String(length=400), nullable=True))
    op.add_column("requests", sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_requests_employer_person", "requests", ["employer_id", "person_key"], unique=False
    )
    op.create_index(op.f("ix_requests_finalised_at"), "requests", ["finalised_at"], unique=False)
    # Requests already final start their retention period from their last change.
    op.execute(
        "UPDATE requests SET finalised_at = updated_at "
        "WHERE status IN ('number_assigned', 'rejected', 'cancelled')"
    )
    # Scans are JPEG, PNG or PDF, already compressed: store them out of line without trying again.
    op.execute("ALTER TABLE document_contents ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.drop_index(op.f("ix_requests_finalised_at"), table_name="requests")
    op.drop_index("ix_requests_employer_person", table_name="requests")
    op.drop_column("requests", "finalised_at")
    op.drop_column("requests", "person_key")
    op.drop_index(op.f("ix_document_purges_document_id"), table_name="document_purges")
    op.drop_table("document_purges")
    op.drop_table("document_contents")
    op.drop_index(op.f("ix_documents_request_id"), table_name="documents")
    op.drop_index(op.f("ix_documents_employer_id"), table_name="documents")
    op.drop_table("documents")
    op.drop_index(op.f("ix_drafts_employer_id"), table_name="drafts")
    op.drop_index(op.f("ix_drafts_amends_request_id"), table_name="drafts")
    op.drop_table("drafts")
