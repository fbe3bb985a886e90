"""search blocks on full name, given-name sounds and the home; term frequencies; models, labels,
registry look-ups

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 23:30:00.000000

person_names.pair_keys (SURNAME+GIVEN, any birth year) and person_addresses.match_keys (postal
code or street, house number and a name token) are new GIN-indexed blocks; phonetic_keys now
hold the given names' sounds too (the same-date block finds a changed surname).
surname_frequencies becomes term_frequencies (surname, given, place). match_models holds the
estimated m/u models by version, match_labels the agents' verdicts on (request, candidate) pairs,
registry_lookups every agent search. Existing rows get their keys and counts here, in Python with
the service's own key functions (a few minutes at a million persons).
"""

from collections import Counter

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_BATCH = 20_000


def upgrade() -> None:
    op.add_column("person_names", sa.Column("pair_keys", postgresql.ARRAY(sa.Text())))
    op.add_column("person_addresses", sa.Column("match_keys", postgresql.ARRAY(sa.Text())))
    op.create_table(
        "term_frequencies",
        sa.Column("field", sa.String(length=10), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("field", "token"),
    )
    op.create_table(
        "match_models",
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("params", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("source", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("version"),
    )
    op.create_table(
        "match_labels",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("is_match", sa.Boolean(), nullable=False),
        sa.Column("levels", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("labelled_by", sa.String(length=100), nullable=False),
        sa.Column(
            "labelled_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["case_id"], ["review_cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_match_labels_case_id", "match_labels", ["case_id"])
    op.create_table(
        "registry_lookups",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("agent_id", sa.String(length=100), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("query", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("person_ids", postgresql.ARRAY(sa.BigInteger()), nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(["case_id"], ["review_cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_registry_lookups_agent_id", "registry_lookups", ["agent_id"])
    op.create_index("ix_registry_lookups_case_id", "registry_lookups", ["case_id"])
    _backfill(op.get_bind())
    op.drop_table("surname_frequencies")
    op.create_index(
        "ix_person_names_pair_keys", "person_names", ["pair_keys"], postgresql_using="gin"
    )
    op.create_index(
        "ix_person_addresses_match_keys",
        "person_addresses",
        ["match_keys"],
        postgresql_using="gin",
    )


def _backfill(conn) -> None:
    """Keys and term counts of the persons already filed, with the service's key functions."""
    from matching.repository.registry import address_key_rows, name_key_values, term_counts

    counts: Counter = Counter()
    last = 0
    while True:
        people = conn.execute(
            sa.text(
                "SELECT id, given_names, birth_place FROM persons WHERE id > :last "
                "ORDER BY id LIMIT :batch"
            ),
            {"last": last, "batch": _BATCH},
        ).all()
        if not people:
            break
        last = people[-1].id
        ids = [p.id for p in people]
        names = conn.execute(
            sa.text(
                "SELECT id, person_id, surnames, given_names FROM person_names "
                "WHERE person_id = ANY(:ids)"
            ),
            {"ids": ids},
        ).all()
        updates = [{"id": n.id, **name_key_values(n.surnames, n.given_names)} for n in names]
        if updates:
            conn.execute(
                sa.text(
                    "UPDATE person_names SET phonetic_keys = :phonetic_keys, "
                    "pair_keys = :pair_keys WHERE id = :id"
                ),
                updates,
            )
        addresses = conn.execute(
            sa.text(
                "SELECT id, person_id, street, number, postal_code, city, country "
                "FROM person_addresses WHERE person_id = ANY(:ids)"
            ),
            {"ids": ids},
        ).all()
        rows = address_key_rows(addresses, names)
        if rows:
            conn.execute(
                sa.text("UPDATE person_addresses SET match_keys = :match_keys WHERE id = :id"),
                rows,
            )
        surnames = {n.person_id: n.surnames for n in names}
        counts.update(
            term_counts((surnames.get(p.id, ""), p.given_names, p.birth_place) for p in people)
        )
    if counts:
        conn.execute(
            sa.text(
                "INSERT INTO term_frequencies (field, token, persons) "
                "VALUES (:field, :token, :persons)"
            ),
            [{"field": f, "token": t, "persons": n} for (f, t), n in sorted(counts.items())],
        )


def downgrade() -> None:
    op.create_table(
        "surname_frequencies",
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("token"),
    )
    op.execute(
        "INSERT INTO surname_frequencies (token, persons) "
        "SELECT token, persons FROM term_frequencies WHERE field = 'surname'"
    )
    op.drop_index("ix_registry_lookups_case_id", table_name="registry_lookups")
    op.drop_index("ix_registry_lookups_agent_id", table_name="registry_lookups")
    op.drop_table("registry_lookups")
    op.drop_index("ix_match_labels_case_id", table_name="match_labels")
    op.drop_table("match_labels")
    op.drop_table("match_models")
    op.drop_table("term_frequencies")
    op.drop_index("ix_person_addresses_match_keys", table_name="person_addresses")
    op.drop_index("ix_person_names_pair_keys", table_name="person_names")
    op.drop_column("person_addresses", "match_keys")
    op.drop_column("person_names", "pair_keys")
