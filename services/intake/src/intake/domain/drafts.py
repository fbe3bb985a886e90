"""A draft is filled step by step; each step is complete or says what it lacks."""

from dataclasses import dataclass
from typing import Any

from contracts import Address, DocumentRef, IdentityDocument, Person, RequestData

STEPS = ("document", "person", "address")


@dataclass(frozen=True)
class StepState:
    complete: bool
    missing: tuple[str, ...]


def step_states(steps: dict[str, Any], *, page_count: int) -> dict[str, StepState]:
    """Per step: complete, or the fields it still needs."""
    document = steps.get("document") or {}
    needs = {
        "document": [name for name in ("type", "issuing_country") if not document.get(name)]
        + ([] if page_count else ["pages"]),
        "person": [] if (steps.get("person") or {}).get("surnames") else ["surnames"],
        "address": [] if (steps.get("address") or {}).get("residence") else ["residence"],
    }
    return {name: StepState(not missing, tuple(missing)) for name, missing in needs.items()}


def assemble(steps: dict[str, Any], documents: list[DocumentRef]) -> RequestData:
    """The request data of a draft with person and address, in the shape of the contract."""
    document, person, address = steps.get("document") or {}, steps["person"], steps["address"]
    identity = (
        IdentityDocument(
            type=document["type"],
            issuing_country=document.get("issuing_country"),
            number=person.get("document_number"),
            expiry_date=person.get("document_expiry_date"),
        )
        if document.get("type")
        else None
    )
    fields = {k: v for k, v in person.items() if k in Person.model_fields and k != "document"}
    contact = address.get("contact_address")
    return RequestData(
        person=Person(**fields, document=identity),
        residence=Address(**address["residence"]),
        contact_address=Address(**contact) if contact else None,
        claimed_ssin=address.get("claimed_ssin"),
        documents=documents,
        employment=document.get("employment"),
    )


def steps_of(data: RequestData) -> dict[str, Any]:
    """The steps of an amendment draft, filled from the request's current data."""
    person = data.person.model_dump(mode="json", exclude={"document"}, exclude_none=True)
    document = data.person.document
    if document is not None:
        person |= {
            "document_number": document.number,
            "document_expiry_date": document.expiry_date and document.expiry_date.isoformat(),
        }
    address = {
        "residence": data.residence.model_dump(mode="json", exclude_none=True),
        "contact_address": data.contact_address
        and data.contact_address.model_dump(mode="json", exclude_none=True),
        "claimed_ssin": data.claimed_ssin,
    }
    return {
        "document": {
            k: v
            for k, v in {
                "type": document and document.type,
                "issuing_country": document and document.issuing_country,
                "employment": data.employment,
            }.items()
            if v
        },
        "person": {k: v for k, v in person.items() if v is not None},
        "address": {k: v for k, v in address.items() if v is not None},
    }
