"""The body of each wizard step; a step is saved only when all its rules pass."""

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from contracts import Language
from contracts.values import DocumentType, Sex
from intake.validation.fields import (
    BirthDate,
    City,
    ClaimedSsin,
    Country,
    DocumentNumber,
    Email,
    Employment,
    ExpiryDate,
    HouseNumber,
    Name,
    Place,
    PostalCode,
    Street,
    belgian_postal_code,
    fail,
)


class Body(BaseModel):
    # Personal data: no input in errors, and unknown fields are refused rather than dropped.
    model_config = ConfigDict(frozen=True, hide_input_in_errors=True, extra="forbid")


class DocumentStep(Body):
    """Step 1: the kind of employment (asked first: some get no number here) and the document."""

    type: DocumentType
    issuing_country: Country
    employment: Employment | None = None


class PersonBase(Body):
    """The worker as written on the document."""

    surnames: Name
    given_names: Name | None = None
    sex: Sex = "unknown"
    birth_date: BirthDate | None = None
    birth_place: Place | None = None
    birth_country: Country | None = None
    nationality: Country | None = None


class PersonStep(PersonBase):
    """Step 2: the person, with the number and expiry date of the document."""

    document_number: DocumentNumber | None = None
    document_expiry_date: ExpiryDate | None = None


class IdentityDocumentInput(Body):
    type: DocumentType
    number: DocumentNumber | None = None
    issuing_country: Country | None = None
    expiry_date: ExpiryDate | None = None


class PersonInput(PersonBase):
    document: IdentityDocumentInput | None = None


class AddressInput(Body):
    # The country comes first: the postal code rule depends on it.
    country: Country
    street: Street | None = None
    number: HouseNumber | None = None
    box: HouseNumber | None = None
    postal_code: PostalCode | None = None
    city: City

    @field_validator("postal_code")
    @classmethod
    def _belgian_postal_code(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("country") == "BE":
            belgian_postal_code(value)
        return value


class ContactAddressInput(AddressInput):
    """A contact address in Belgium: complete, so that mail reaches the worker."""

    street: Street
    number: HouseNumber
    postal_code: PostalCode

    @field_validator("country")
    @classmethod
    def _in_belgium(cls, value: str) -> str:
        if value != "BE":
            raise fail("address.contact_not_belgian", "The contact address must be in Belgium.")
        return value


class AddressStep(Body):
    """Step 3: the official residence, a Belgian contact address when abroad, a known INSZ/NISS."""

    residence: AddressInput
    contact_address: ContactAddressInput | None = None
    claimed_ssin: ClaimedSsin | None = None

    @field_validator("contact_address")
    @classmethod
    def _contact_only_when_abroad(
        cls, value: ContactAddressInput | None, info: ValidationInfo
    ) -> ContactAddressInput | None:
        residence = info.data.get("residence")
        if value is not None and residence is not None and residence.country == "BE":
            raise fail(
                "address.contact_only_when_abroad",
                "A contact address is only given when the residence is abroad.",
            )
        return value


class SubmitStep(Body):
    """Step 4: where status news goes, and in which language."""

    notification_email: Email
    language: Language


class AmendmentSubmit(Body):
    """Resubmitting after an information request: the notification settings stay the request's."""

    notification_email: Email | None = None
    language: Language | None = None


class DirectSubmit(AddressStep):
    """POST /requests: a whole request in one body, for API clients without scans."""

    person: PersonInput
    notification_email: Email
    language: Language
    # Optional for clients written before the question existed: absent reads as an employee.
    employment: Employment | None = None
