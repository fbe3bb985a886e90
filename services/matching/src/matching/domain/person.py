"""The identity data one request, or one registry record, holds about a person."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from contracts import RequestData, Sex
from matching.domain.address import Address


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
    # The residence (and a Belgian contact address) of a request; every address the registry
    # knows for a registry person.
    addresses: tuple[Address, ...] = ()


@dataclass(frozen=True)
class Document:
    type: str
    number: str
    country: str | None = None
    expiry_date: date | None = None


@dataclass(frozen=True)
class PersonToFile:
    """A person to file: identity data, extra names, documents and addresses."""

    ssin: str
    identity: Person
    origin: str
    other_names: tuple[tuple[str, str, str], ...] = ()  # (kind, surnames, given names)
    documents: tuple[Document, ...] = ()
    addresses: tuple[dict[str, Any], ...] = ()
    request_id: UUID | None = None


@dataclass(frozen=True)
class Entry:
    """A registry person as the scorer sees it: one Person per known name and document."""

    person_id: int
    ssin: str
    number_type: str
    identity: Person
    variants: tuple[Person, ...] = field(default=())


def person_from(data: RequestData) -> Person:
    """A request's personal data as the domain compares it."""
    p, doc = data.person, data.person.document
    contact = data.contact_address
    return Person(
        surnames=p.surnames,
        given_names=p.given_names or "",
        sex=p.sex,
        birth_date=p.birth_date,
        birth_place=p.birth_place,
        birth_country=p.birth_country,
        nationality=p.nationality,
        document_type=doc.type if doc else None,
        document_number=doc.number if doc else None,
        document_country=doc.issuing_country if doc else None,
        has_foreign_residence=data.residence.country != "BE",
        has_belgian_contact_address=data.residence.country == "BE"
        or (contact is not None and contact.country == "BE"),
        addresses=tuple(
            Address(a.street, a.number, a.postal_code, a.city, a.country)
            for a in (data.residence, contact)
            if a is not None
        ),
    )


def new_registry_person(ssin: str, data: RequestData, *, request_id: UUID, by: str) -> PersonToFile:
    """A request's person as the registry files it under a new number."""
    doc = data.person.document
    documents = (
        (Document(doc.type, doc.number, doc.issuing_country, doc.expiry_date),)
        if doc and doc.number
        else ()
    )
    addresses = [("residence", data.residence), ("contact", data.contact_address)]
    return PersonToFile(
        ssin=ssin,
        identity=person_from(data),
        origin="request" if by == "automatic" else "agent",
        documents=documents,
        request_id=request_id,
        addresses=tuple({"kind": kind, **a.model_dump()} for kind, a in addresses if a),
    )
