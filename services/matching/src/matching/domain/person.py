"""The identity data one request, or one registry record, holds about a person."""

from dataclasses import dataclass

from contracts import Sex


@dataclass(frozen=True, kw_only=True)
class Person:
    """Personal data as written on the document; every field may be absent."""

    surnames: str = ""
    given_names: str = ""
    sex: Sex | None = None
    birth_date: str | None = None
    birth_place: str | None = None
    birth_country: str | None = None
    nationality: str | None = None
    document_type: str | None = None
    document_number: str | None = None
    document_country: str | None = None
    has_foreign_residence: bool = False
    has_belgian_contact_address: bool = False
