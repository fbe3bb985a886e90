"""person registry, search keys, review cases and audit

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 01:53:01.894306
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


# The extensions are created by the superuser when the database is made (devstack, deploy/): the
# service role may not create them. Guarded, so an already-equipped database is left alone and a
# bare one fails with a clear message rather than half-way through.
_REQUIRE_TRGM = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        RAISE EXCEPTION 'pg_trgm is missing: CREATE EXTENSION pg_trgm as superuser first';
    END IF;
END $$;
"""


def upgrade() -> None:
    op.execute(_REQUIRE_TRGM)
    op.create_table(
        "persons",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("ssin", sa.String(length=11), nullable=False),
        sa.Column("number_type", sa.String(length=20), nullable=False),
        sa.Column("surnames", sa.Text(), nullable=False),
        sa.Column("given_names", sa.Text(), server_default="", nullable=False),
        sa.Column("sex", sa.String(length=7), server_default="unknown", nullable=False),
        sa.Column("birth_date", sa.String(length=10), nullable=True),
        sa.Column("birth_year", sa.SmallInteger(), nullable=True),
        sa.Column("birth_month", sa.SmallInteger(), nullable=True),
        sa.Column("birth_day", sa.SmallInteger(), nullable=True),
        sa.Column("birth_place", sa.Text(), nullable=True),
        sa.Column("birth_country", sa.String(length=2), nullable=True),
        sa.Column("nationality", sa.String(length=2), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id"),
        sa.UniqueConstraint("ssin"),
    )
    op.create_index(
        "ix_persons_birth_date", "persons", ["birth_year", "birth_month", "birth_day"], unique=False
    )
    op.create_table(
        "review_cases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("request_version", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), server_default="open", nullable=False),
        sa.Column("request", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("candidates", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "opened_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.String(length=30), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_review_cases_request_id"), "review_cases", ["request_id"], unique=False
    )
    op.create_index(
        "ix_review_cases_status_opened", "review_cases", ["status", "opened_at"], unique=False
    )
    op.create_table(
        "surname_frequencies",
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )
    op.create_table(
        "person_addresses",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("street", sa.Text(), nullable=True),
        sa.Column("number", sa.String(length=20), nullable=True),
        sa.Column("box", sa.String(length=20), nullable=True),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_person_addresses_person_id"), "person_addresses", ["person_id"], unique=False
    )
    op.create_table(
        "person_documents",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("expiry_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_person_documents_number_country",
        "person_documents",
        ["number", "country"],
        unique=False,
    )
    op.create_index(
        op.f("ix_person_documents_person_id"), "person_documents", ["person_id"], unique=False
    )
    op.create_table(
        "person_names",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("surnames", sa.Text(), nullable=False),
        sa.Column("given_names", sa.Text(), server_default="", nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("name_year_keys", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("phonetic_keys", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("birth_year", sa.SmallInteger(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_person_names_full_name_trgm",
        "person_names",
        ["full_name"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"full_name": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_person_names_name_year_keys",
        "person_names",
        ["name_year_keys"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index(op.f("ix_person_names_person_id"), "person_names", ["person_id"], unique=False)
    op.create_index(
        "ix_person_names_phonetic_keys",
        "person_names",
        ["phonetic_keys"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_table(
        "review_audit",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["review_cases.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_review_audit_case_id"), "review_audit", ["case_id"], unique=False)
    op.add_column(
        "decisions",
        sa.Column("decided_by", sa.String(length=10), server_default="automatic", nullable=False),
    )
    op.add_column("decisions", sa.Column("agent_id", sa.String(length=100), nullable=True))
    # An agent's decision follows the automatic one for the same version: decided_by joins the key.
    op.drop_constraint("decisions_pkey", "decisions", type_="primary")
    op.create_primary_key("decisions_pkey", "decisions", ["request_id", "version", "decided_by"])


def downgrade() -> None:
    op.execute("DELETE FROM decisions WHERE decided_by <> 'automatic'")
    op.drop_constraint("decisions_pkey", "decisions", type_="primary")
    op.create_primary_key("decisions_pkey", "decisions", ["request_id", "version"])
    op.drop_column("decisions", "agent_id")
    op.drop_column("decisions", "decided_by")
    op.drop_index(op.f("ix_review_audit_case_id"), table_name="review_audit")
    op.drop_table("review_audit")
    op.drop_index(
        "ix_person_names_phonetic_keys", table_name="person_names", postgresql_using="gin"
    )
    op.drop_index(op.f("ix_person_names_person_id"), table_name="person_names")
    op.drop_index(
        "ix_person_names_name_year_keys", table_name="person_names", postgresql_using="gin"
    )
    op.drop_index(
        "ix_person_names_full_name_trgm",
        table_name="person_names",
        postgresql_using="gin",
        postgresql_ops={"full_name": "gin_trgm_ops"},
    )
    op.drop_table("person_names")
    op.drop_index(op.f("ix_person_documents_person_id"), table_name="person_documents")
    op.drop_index("ix_person_documents_number_country", table_name="person_documents")
    op.drop_table("person_documents")
    op.drop_index(op.f("ix_person_addresses_person_id"), table_name="person_addresses")
    op.drop_table("person_addresses")
    op.drop_table("surname_frequencies")
    op.drop_index("ix_review_cases_status_opened", table_name="review_cases")
    op.drop_index(op.f("ix_review_cases_request_id"), table_name="review_cases")
    op.drop_table("review_cases")
    op.drop_index("ix_persons_birth_date", table_name="persons")
    op.drop_table("persons")
