"""matching's own database: the person registry, BIS counters, decisions, review cases and audit."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from eventing.tables import define_plumbing_tables


class Base(DeclarativeBase):
    metadata = MetaData()


class Decision(Base):
    """One automatic decision per request version, and at most one agent decision after it."""

    __tablename__ = "decisions"

    request_id: Mapped[UUID] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    decided_by: Mapped[str] = mapped_column(
        String(10), primary_key=True, server_default="automatic"
    )
    agent_id: Mapped[str | None] = mapped_column(String(100))
    employer_id: Mapped[str] = mapped_column(String(20), index=True)
    outcome: Mapped[str] = mapped_column(String(30))
    ssin: Mapped[str | None] = mapped_column(String(11))
    explanation: Mapped[dict] = mapped_column(JSONB, default=dict)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RegistryPerson(Base):
    """One person of the registry: an NR or BIS number and the identity data known for it."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    ssin: Mapped[str] = mapped_column(String(11), unique=True)
    number_type: Mapped[str] = mapped_column(String(20))  # national_register | bis
    surnames: Mapped[str] = mapped_column(Text)
    given_names: Mapped[str] = mapped_column(Text, server_default="")
    sex: Mapped[str] = mapped_column(String(7), server_default="unknown")
    birth_date: Mapped[str | None] = mapped_column(String(10))  # YYYY, YYYY-MM or YYYY-MM-DD
    # The parts of birth_date as ints (NULL = unknown): the exact-date block searches on them.
    birth_year: Mapped[int | None] = mapped_column(SmallInteger)
    birth_month: Mapped[int | None] = mapped_column(SmallInteger)
    birth_day: Mapped[int | None] = mapped_column(SmallInteger)
    birth_place: Mapped[str | None] = mapped_column(Text)
    birth_country: Mapped[str | None] = mapped_column(String(2))
    nationality: Mapped[str | None] = mapped_column(String(2))
    origin: Mapped[str] = mapped_column(String(20))  # generated | csv | request | agent
    request_id: Mapped[UUID | None] = mapped_column(unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (Index("ix_persons_birth_date", "birth_year", "birth_month", "birth_day"),)


class PersonName(Base):
    """A name a person is known under (primary, alias, former), with its search keys."""

    __tablename__ = "person_names"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # primary | alias | former
    surnames: Mapped[str] = mapped_column(Text)
    given_names: Mapped[str] = mapped_column(Text, server_default="")
    full_name: Mapped[str] = mapped_column(Text)  # passport-folded tokens, for trigram similarity
    # Loose surname keys suffixed with the birth year (KOWALSKA|1990): one exact GIN probe finds
    # "same name, year ±1" without visiting the thousands of NGUYENs born in other years.
    name_year_keys: Mapped[list[str]] = mapped_column(ARRAY(Text))
    phonetic_keys: Mapped[list[str]] = mapped_column(ARRAY(Text))  # M:/N: codes of surname tokens
    # name_year_keys and their one-letter deletions (migration 0003): two surnames one typo apart
    # share a key, so the typo block is an exact GIN probe bounded by the year, not a trigram scan.
    typo_year_keys: Mapped[list[str] | None] = mapped_column(
        ARRAY(Text), Computed("matching_typo_keys(name_year_keys)", persisted=True)
    )
    birth_year: Mapped[int | None] = mapped_column(SmallInteger)  # copy of persons.birth_year
    # SURNAME+GIVEN token pairs (migration 0004): the full name whatever the birth year says.
    pair_keys: Mapped[list[str] | None] = mapped_column(ARRAY(Text))
    # SOUND|YYYYMMDD for every sound key, full birth dates only (migration 0005): the near-date
    # block probes the ~20 dates one keystroke away with the request's sounds.
    date_keys: Mapped[list[str] | None] = mapped_column(ARRAY(Text))
    # SURNAME+GIVEN|YEAR (migration 0005): the same full name in the closest years, by exact probes.
    pair_year_keys: Mapped[list[str] | None] = mapped_column(
        ARRAY(Text), Computed("matching_pair_year_keys(pair_keys, birth_year)", persisted=True)
    )

    __table_args__ = (
        Index(
            "ix_person_names_full_name_trgm",
            "full_name",
            postgresql_using="gin",
            postgresql_ops={"full_name": "gin_trgm_ops"},
        ),
        Index("ix_person_names_name_year_keys", "name_year_keys", postgresql_using="gin"),
        Index("ix_person_names_phonetic_keys", "phonetic_keys", postgresql_using="gin"),
        Index("ix_person_names_typo_year_keys", "typo_year_keys", postgresql_using="gin"),
        Index("ix_person_names_pair_keys", "pair_keys", postgresql_using="gin"),
        Index("ix_person_names_date_keys", "date_keys", postgresql_using="gin"),
        Index("ix_person_names_pair_year_keys", "pair_year_keys", postgresql_using="gin"),
    )


class PersonDocument(Base):
    """An identity document seen for a person; a renewal adds a row, the old one stays."""

    __tablename__ = "person_documents"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(40))  # upper-case, without spaces or dashes
    country: Mapped[str | None] = mapped_column(String(2))
    expiry_date: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_person_documents_number_country", "number", "country"),)


class PersonAddress(Base):
    """A residence (often abroad) or a Belgian contact address."""

    __tablename__ = "person_addresses"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # residence | contact
    street: Mapped[str | None] = mapped_column(Text)
    number: Mapped[str | None] = mapped_column(String(20))
    box: Mapped[str | None] = mapped_column(String(20))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2))
    # P:postal|number|TOKEN and S:street|number|TOKEN for the person's name tokens (0004).
    match_keys: Mapped[list[str] | None] = mapped_column(ARRAY(Text))

    __table_args__ = (
        Index("ix_person_addresses_match_keys", "match_keys", postgresql_using="gin"),
    )


class TermFrequency(Base):
    """How many registry persons carry a term (surname, given or place): the u of term
    frequencies, and whether a spelling is a name at all."""

    __tablename__ = "term_frequencies"

    field: Mapped[str] = mapped_column(String(10), primary_key=True)  # surname | given | place
    token: Mapped[str] = mapped_column(Text, primary_key=True)
    persons: Mapped[int] = mapped_column(Integer)


class MatchModel(Base):
    """An estimated m/u model, by version; the newest active one weighs every decision."""

    __tablename__ = "match_models"

    version: Mapped[str] = mapped_column(String(40), primary_key=True)
    params: Mapped[dict] = mapped_column(JSONB)
    source: Mapped[dict] = mapped_column(JSONB, default=dict)
    active: Mapped[bool] = mapped_column(server_default="true")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MatchLabel(Base):
    """An agent's verdict on one (request, candidate) pair: the labels of the next estimate."""

    __tablename__ = "match_labels"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    case_id: Mapped[UUID] = mapped_column(ForeignKey("review_cases.id"), index=True)
    person_id: Mapped[int] = mapped_column(BigInteger)
    is_match: Mapped[bool]
    levels: Mapped[dict] = mapped_column(JSONB)  # field -> agreement level at labelling time
    labelled_by: Mapped[str] = mapped_column(String(100))
    labelled_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class RegistryLookup(Base):
    """One agent search of the registry (who, when, for which case, what was asked and found)."""

    __tablename__ = "registry_lookups"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    agent_id: Mapped[str] = mapped_column(String(100), index=True)
    case_id: Mapped[UUID | None] = mapped_column(ForeignKey("review_cases.id"), index=True)
    query: Mapped[dict] = mapped_column(JSONB)
    person_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReviewCase(Base):
    """A request an agent must decide: the request as submitted and the candidates found."""

    __tablename__ = "review_cases"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    request_id: Mapped[UUID] = mapped_column(index=True)
    request_version: Mapped[int] = mapped_column(Integer)
    employer_id: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), server_default="open")  # open|claimed|closed
    request: Mapped[dict] = mapped_column(JSONB)
    candidates: Mapped[list] = mapped_column(JSONB)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution: Mapped[str | None] = mapped_column(String(30))

    __table_args__ = (Index("ix_review_cases_status_opened", "status", "opened_at"),)


class ReviewAudit(Base):
    """Who did what to a case, when and why."""

    __tablename__ = "review_audit"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    case_id: Mapped[UUID] = mapped_column(ForeignKey("review_cases.id"), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSONB, default=dict)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


def define_bis_tables(metadata: MetaData) -> tuple[Table, Table]:
    """`bis_counters` (one row per slot, century and sex class) and `bis_numbers` (one per number)."""
    counters = Table(
        "bis_counters",
        metadata,
        Column("slot", String(6), primary_key=True),
        Column("century", SmallInteger, primary_key=True),
        Column("sex_class", String(7), primary_key=True),
        Column("last_serial", SmallInteger, nullable=False),
        CheckConstraint("last_serial BETWEEN 1 AND 998", name="ck_bis_counters_serial"),
        CheckConstraint("century IN (1900, 2000)", name="ck_bis_counters_century"),
    )
    numbers = Table(
        "bis_numbers",
        metadata,
        # This primary key makes "never reused, never reassigned" hold whatever the counters say.
        Column("ssin", String(11), primary_key=True),
        Column("request_id", Uuid, nullable=False, unique=True),
        Column("allocated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    return counters, numbers


bis_counters, bis_numbers = define_bis_tables(Base.metadata)
outbox_messages, processed_events = define_plumbing_tables(Base.metadata)
