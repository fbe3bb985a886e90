"""search keys for the near-date and pair blocks: date_keys and pair_year_keys

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 05:45:00.000000

At a million persons two blocks of candidate search read thousands of rows per request:
- the near-date block fetched every person born on ~20 dates one keystroke away (1,500+ heap
  rows, ~50 ms) to keep those whose name sounds alike; `date_keys` (a sound key with the full
  birth date, SOUND|YYYYMMDD) makes it one exact GIN probe per (sound, date);
- the pair block sorted every namesake of a common pair by birth-year distance (9,600 rows of
  PETERS+MARIE, ~260 ms); `pair_year_keys` (SURNAME+GIVEN|YEAR, a generated column) finds the
  closest years by exact probes, and the any-year probe is bounded instead.
`date_keys` is written by the service with the other keys (the date lives on persons) and
filled here for the names already filed; `pair_year_keys` is computed by PostgreSQL.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PAIR_YEAR_KEYS_FUNCTION = """
CREATE OR REPLACE FUNCTION matching_pair_year_keys(keys text[], year smallint) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(k || '|' || coalesce(year::text, '')), '{}') FROM unnest(keys) AS k
$$
"""


def upgrade() -> None:
    op.execute(PAIR_YEAR_KEYS_FUNCTION)
    op.add_column("person_names", sa.Column("date_keys", postgresql.ARRAY(sa.Text())))
    # One rewrite of person_names for both columns: the generated one is filled by the ALTER,
    # date_keys by the UPDATE (the sound keys are already stored, the date is the person's).
    op.add_column(
        "person_names",
        sa.Column(
            "pair_year_keys",
            postgresql.ARRAY(sa.Text()),
            sa.Computed("matching_pair_year_keys(pair_keys, birth_year)", persisted=True),
            nullable=True,
        ),
    )
    op.execute(
        "UPDATE person_names AS n SET date_keys = ARRAY("
        "SELECT k || '|' || to_char(make_date(p.birth_year, p.birth_month, p.birth_day), "
        "'YYYYMMDD') FROM unnest(n.phonetic_keys) AS k) "
        "FROM persons AS p WHERE p.id = n.person_id AND p.birth_day IS NOT NULL "
        "AND p.birth_month IS NOT NULL AND p.birth_year IS NOT NULL"
    )
    op.create_index(
        "ix_person_names_date_keys", "person_names", ["date_keys"], postgresql_using="gin"
    )
    op.create_index(
        "ix_person_names_pair_year_keys", "person_names", ["pair_year_keys"], postgresql_using="gin"
    )


def downgrade() -> None:
    op.drop_index("ix_person_names_pair_year_keys", table_name="person_names")
    op.drop_index("ix_person_names_date_keys", table_name="person_names")
    op.drop_column("person_names", "pair_year_keys")
    op.drop_column("person_names", "date_keys")
    op.execute("DROP FUNCTION IF EXISTS matching_pair_year_keys(text[], smallint)")
