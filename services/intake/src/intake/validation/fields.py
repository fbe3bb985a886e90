"""Field rules of the wizard: each failure is a message key (see intake.texts), never the input."""

import re
import unicodedata
from datetime import date
from typing import Annotated, Any

import pycountry
from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BeforeValidator, ValidationInfo
from pydantic_core import PydanticCustomError
from stdnum import exceptions as stdnum_errors
from stdnum.be import ssn

from contracts import parse_birth_date
from contracts.eligibility import refusal
from contracts.values import EmploymentKind

NAME_MAX = 100
PLACE_MAX = 100
_APOSTROPHES_HYPHENS = frozenset("'’ʼ-‐")
_PLACE_EXTRA = frozenset("'’ʼ-‐.,()/ ")
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DOCUMENT_NUMBER = re.compile(r"^[A-Z0-9]{4,20}$")
_FOREIGN_POSTAL_CODE = re.compile(r"^[A-Z0-9][A-Z0-9 -]{1,9}$")
_EARLIEST_BIRTH_YEAR = 1900
# Kosovo is not in ISO 3166-1 yet; XK is the code the EU and Kosovo's own passports use.
_USER_ASSIGNED_COUNTRIES = frozenset({"XK"})


def fail(code: str, message: str, **params: Any) -> PydanticCustomError:
    """A validation error whose type is our message key; params are limits, never input."""
    return PydanticCustomError(code, message, params)


def today(info: ValidationInfo) -> date:
    """Today, or the day a test put in the validation context."""
    return (info.context or {}).get("today") or date.today()


def _clean(value: Any) -> Any:
    """NFC and single spaces for any text; other types are left for the type check."""
    if not isinstance(value, str):
        return value
    return " ".join(unicodedata.normalize("NFC", value).split())


def _text_within(value: str, maximum: int) -> str:
    if not value or len(value) > maximum:
        raise fail("text.length", "Between 1 and {max_length} characters.", max_length=maximum)
    if any(unicodedata.category(ch)[0] == "C" for ch in value):
        raise fail("text.characters", "This text holds characters that cannot be printed.")
    return value


def _name(value: str) -> str:
    if not value or len(value) > NAME_MAX:
        raise fail("name.length", "Between 1 and {max_length} characters.", max_length=NAME_MAX)
    allowed = all(
        unicodedata.category(ch)[0] in "LM" or ch in _APOSTROPHES_HYPHENS or ch == " "
        for ch in value
    )
    if not allowed or not any(unicodedata.category(ch)[0] == "L" for ch in value):
        raise fail("name.characters", "Use letters, apostrophes, hyphens and spaces only.")
    return value


def _place(value: str) -> str:
    _text_within(value, PLACE_MAX)
    if not all(unicodedata.category(ch)[0] in "LM" or ch in _PLACE_EXTRA for ch in value):
        raise fail("place.characters", "Use letters, spaces and the signs ' - . , ( ) / only.")
    return value


def _country(value: str) -> str:
    code = value.upper()
    if code in _USER_ASSIGNED_COUNTRIES:
        return code
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise fail("country.unknown", "Give the country as an ISO 3166-1 two-letter code.")
    return code


def _partial_birth_date(value: str, info: ValidationInfo) -> str:
    try:
        birth = parse_birth_date(value)
    except ValueError:
        birth = None
    # Only the canonical form is taken: "1990-00-00" means "unknown" to the registry, not here.
    if birth is None or birth.iso != value:
        raise fail("date.partial_format", "Give the date as YYYY, YYYY-MM or YYYY-MM-DD.")
    if birth.earliest > today(info):
        raise fail("date.in_future", "This date is in the future.")
    if birth.year < _EARLIEST_BIRTH_YEAR:
        raise fail("date.too_old", "This date is before {year}.", year=_EARLIEST_BIRTH_YEAR)
    return value


def _calendar_date(year: str, month: str | None, day: str | None) -> bool:
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def _expiry_date(value: str, info: ValidationInfo) -> str:
    if not _FULL_DATE.match(value) or not _calendar_date(*value.split("-")):
        raise fail("date.format", "Give the date as YYYY-MM-DD.")
    if date.fromisoformat(value) < today(info):
        raise fail("document.expired", "This document has expired; use a valid document.")
    return value


def _document_number(value: str) -> str:
    compact = re.sub(r"[\s-]", "", value).upper()
    if not _DOCUMENT_NUMBER.match(compact):
        raise fail("document.number_format", "Give 4 to 20 letters or digits, as on the document.")
    return compact


def _postal_code(value: str) -> str:
    code = value.upper()
    if not _FOREIGN_POSTAL_CODE.match(code):
        raise fail("postal_code.format", "Give 2 to 10 letters, digits, spaces or hyphens.")
    return code


def belgian_postal_code(value: str | None) -> None:
    """Belgian postal codes are 4 digits, 1000 to 9999."""
    if value is None or not re.fullmatch(r"[1-9]\d{3}", value):
        raise fail("postal_code.belgian", "A Belgian postal code has 4 digits, from 1000 to 9999.")


def _ssin(value: str) -> str:
    try:
        return ssn.validate(value)
    except stdnum_errors.InvalidChecksum as exc:
        raise fail("ssin.checksum", "The check digits of this number are wrong.") from exc
    except stdnum_errors.InvalidLength as exc:
        raise fail("ssin.length", "An INSZ/NISS has 11 digits.") from exc
    except stdnum_errors.InvalidComponent as exc:
        raise fail("ssin.birth_date", "The birth date in this number is not possible.") from exc
    except stdnum_errors.ValidationError as exc:
        raise fail("ssin.format", "An INSZ/NISS has 11 digits (dots and dashes allowed).") from exc


def _email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise fail("email.invalid", "This is not a valid e-mail address.") from exc


_Text = Annotated[str, BeforeValidator(_clean)]
Name = Annotated[_Text, AfterValidator(_name)]
Place = Annotated[_Text, AfterValidator(_place)]
Country = Annotated[_Text, AfterValidator(_country)]
BirthDate = Annotated[_Text, AfterValidator(_partial_birth_date)]
ExpiryDate = Annotated[_Text, AfterValidator(_expiry_date)]
DocumentNumber = Annotated[_Text, AfterValidator(_document_number)]
PostalCode = Annotated[_Text, AfterValidator(_postal_code)]
ClaimedSsin = Annotated[_Text, AfterValidator(_ssin)]
Email = Annotated[_Text, AfterValidator(_email)]
Street = Annotated[_Text, AfterValidator(lambda v: _text_within(v, 200))]
City = Annotated[_Text, AfterValidator(lambda v: _text_within(v, 100))]
HouseNumber = Annotated[_Text, AfterValidator(lambda v: _text_within(v, 20))]


def _eligible(value: str) -> str:
    """Job students and occasional farm workers get no number here: say why and where to go."""
    if reason := refusal(value):
        raise fail(f"eligibility.{reason}", "This kind of employment gets no number here.")
    return value


Employment = Annotated[EmploymentKind, AfterValidator(_eligible)]
