"""Every field of the wizard, table-driven: accepted (and normalised) or refused with its key."""

from datetime import date

import pytest
from pydantic import ValidationError

from intake.validation import AddressStep, AmendmentSubmit, DocumentStep, PersonStep, SubmitStep

TODAY = date(2026, 6, 15)


def check(model, body: dict):
    """(value, None) when valid, (None, [(field, code)]) when refused."""
    try:
        return model.model_validate(body, context={"today": TODAY}), None
    except ValidationError as error:
        return None, [(".".join(map(str, e["loc"])), e["type"]) for e in error.errors()]


def person(**fields) -> dict:
    return {"surnames": "Kowalska", **fields}


def refusal(model, body: dict) -> list:
    value, errors = check(model, body)
    assert value is None, f"accepted: {value!r}"
    return errors


NAMES = [
    ("Kowalska", "Kowalska"),
    ("  Müller-Lüdenscheidt  ", "Müller-Lüdenscheidt"),
    ("O'Brien", "O'Brien"),
    ("D’Alembert", "D’Alembert"),
    ("van der  Berg", "van der Berg"),
    ("Nguyễn", "Nguyễn"),
    ("Ivanova\u0301", "Ivanová"),  # a combining accent becomes one precomposed letter (NFC)
    ("Иванова", "Иванова"),
    ("Παπαδόπουλος", "Παπαδόπουλος"),
]


@pytest.mark.parametrize(("given", "stored"), NAMES)
@pytest.mark.parametrize("field", ["surnames", "given_names"])
def test_names_are_accepted_normalised(field, given, stored):
    value, _ = check(PersonStep, person(**{field: given}))

    assert getattr(value, field) == stored


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("Kowalska2", "name.characters"),
        ("Anna<script>", "name.characters"),
        ("A.B.", "name.characters"),
        ("--", "name.characters"),
        ("Anna\u200bMaria", "name.characters"),
        ("", "name.length"),
        ("   ", "name.length"),
        ("x" * 101, "name.length"),
        (12, "string_type"),
    ],
)
@pytest.mark.parametrize("field", ["surnames", "given_names"])
def test_names_are_refused_with_their_reason(field, given, code):
    assert refusal(PersonStep, person(**{field: given})) == [(field, code)]


def test_surnames_are_mandatory_and_nothing_else_in_the_person_step():
    assert refusal(PersonStep, {}) == [("surnames", "missing")]
    assert check(PersonStep, person())[0].sex == "unknown"


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("male", None),
        ("female", None),
        ("unknown", None),
        ("M", "literal_error"),
        ("x", "literal_error"),
    ],
)
def test_sex_is_one_of_three_values(given, code):
    assert check(PersonStep, person(sex=given))[1] == (None if code is None else [("sex", code)])


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("1990", None),
        ("1990-04", None),
        ("1990-04-02", None),
        ("2026-06-15", None),
        ("2000-02-29", None),
        ("1990-4-2", "date.partial_format"),
        ("02/04/1990", "date.partial_format"),
        ("1990-13", "date.partial_format"),
        ("1990-02-30", "date.partial_format"),
        ("1999-02-29", "date.partial_format"),
        ("2026-06-16", "date.in_future"),
        ("2026-07", "date.in_future"),
        ("2027", "date.in_future"),
        ("1899-12-31", "date.too_old"),
    ],
)
def test_a_birth_date_may_be_partial_but_not_invalid_or_in_the_future(given, code):
    assert check(PersonStep, person(birth_date=given))[1] == (
        None if code is None else [("birth_date", code)]
    )


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("Kraków", None),
        ("Saint-Étienne", None),
        ("St. Petersburg", None),
        ("Frankfurt (Oder)", None),
        ("Kraków 1", "place.characters"),
        ("<b>", "place.characters"),
        ("x" * 101, "text.length"),
    ],
)
def test_the_birth_place_is_a_place_name(given, code):
    assert check(PersonStep, person(birth_place=given))[1] == (
        None if code is None else [("birth_place", code)]
    )


@pytest.mark.parametrize(
    ("given", "stored", "code"),
    [
        ("PL", "PL", None),
        ("be", "BE", None),
        ("UA", "UA", None),
        ("XK", "XK", None),
        ("XX", None, "country.unknown"),
        ("POL", None, "country.unknown"),
        ("Poland", None, "country.unknown"),
    ],
)
@pytest.mark.parametrize("field", ["birth_country", "nationality"])
def test_countries_are_iso_3166_alpha_2_codes(field, given, stored, code):
    value, errors = check(PersonStep, person(**{field: given}))
    assert (value and getattr(value, field), errors) == (
        (stored, None) if code is None else (None, [(field, code)])
    )


@pytest.mark.parametrize(
    ("given", "stored", "code"),
    [
        ("EA1234567", "EA1234567", None),
        ("ea 123-4567", "EA1234567", None),
        ("123", None, "document.number_format"),
        ("A" * 21, None, "document.number_format"),
        ("EA12/34", None, "document.number_format"),
    ],
)
def test_the_document_number_is_letters_and_digits(given, stored, code):
    value, errors = check(PersonStep, person(document_number=given))
    assert (value and value.document_number, errors) == (
        (stored, None) if code is None else (None, [("document_number", code)])
    )


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("2026-06-15", None),
        ("2034-01-31", None),
        ("2026-06-14", "document.expired"),
        ("2020-01-01", "document.expired"),
        ("2030-02-30", "date.format"),
        ("2030-02", "date.format"),
    ],
)
def test_an_expired_document_is_refused(given, code):
    assert check(PersonStep, person(document_expiry_date=given))[1] == (
        None if code is None else [("document_expiry_date", code)]
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"type": "passport", "issuing_country": "PL"}, None),
        ({"type": "identity_card", "issuing_country": "ro"}, None),
        ({"type": "driving_licence", "issuing_country": "UA"}, None),
        ({"type": "visa", "issuing_country": "PL"}, [("type", "literal_error")]),
        ({"type": "passport", "issuing_country": "ZZ"}, [("issuing_country", "country.unknown")]),
        ({"type": "passport"}, [("issuing_country", "missing")]),
    ],
)
def test_the_document_step_is_a_type_and_an_issuing_country(body, errors):
    assert check(DocumentStep, body)[1] == errors


def address(**fields) -> dict:
    return {"residence": {"city": "Kraków", "country": "PL", **fields}}


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"street": "ul. Długa", "number": "5", "box": "3A", "postal_code": "31-147"}, None),
        ({"postal_code": "SW1A 1AA", "country": "GB", "city": "London"}, None),
        ({"country": "BE", "city": "Liège", "postal_code": "4000"}, None),
        ({"country": "BE", "city": "Bruxelles", "postal_code": "1000"}, None),
        ({"country": "BE", "city": "Knokke", "postal_code": "9999"}, None),
        (
            {"country": "BE", "city": "x", "postal_code": "0999"},
            [("residence.postal_code", "postal_code.belgian")],
        ),
        (
            {"country": "BE", "city": "x", "postal_code": "10000"},
            [("residence.postal_code", "postal_code.belgian")],
        ),
        (
            {"country": "BE", "city": "x", "postal_code": "B-1000"},
            [("residence.postal_code", "postal_code.belgian")],
        ),
        ({"postal_code": "#12"}, [("residence.postal_code", "postal_code.format")]),
        ({"street": "x" * 201}, [("residence.street", "text.length")]),
        ({"street": "Długa\x07"}, [("residence.street", "text.characters")]),
        ({"number": "1" * 21}, [("residence.number", "text.length")]),
        ({"box": ""}, [("residence.box", "text.length")]),
        ({"city": ""}, [("residence.city", "text.length")]),
        ({"country": "QQ"}, [("residence.country", "country.unknown")]),
    ],
)
def test_the_residence_may_be_in_any_country_with_belgian_postal_codes_checked(fields, errors):
    assert check(AddressStep, address(**fields))[1] == errors


def test_the_residence_needs_a_country_and_a_city():
    assert sorted(refusal(AddressStep, {"residence": {}})) == [
        ("residence.city", "missing"),
        ("residence.country", "missing"),
    ]


CONTACT = {
    "street": "Rue Haute",
    "number": "10",
    "postal_code": "1000",
    "city": "Bruxelles",
    "country": "BE",
}


@pytest.mark.parametrize(
    ("residence_country", "contact", "errors"),
    [
        ("PL", CONTACT, None),
        (
            "PL",
            {**CONTACT, "postal_code": "999"},
            [("contact_address.postal_code", "postal_code.belgian")],
        ),
        (
            "PL",
            {**CONTACT, "country": "NL", "postal_code": "1011 AB"},
            [("contact_address.country", "address.contact_not_belgian")],
        ),
        (
            "PL",
            {k: v for k, v in CONTACT.items() if k != "street"},
            [("contact_address.street", "missing")],
        ),
        ("BE", CONTACT, [("contact_address", "address.contact_only_when_abroad")]),
    ],
)
def test_a_belgian_contact_address_only_when_the_residence_is_abroad(
    residence_country, contact, errors
):
    body = {
        "residence": {
            "city": "Somewhere",
            "country": residence_country,
            **({"postal_code": "4000"} if residence_country == "BE" else {}),
        },
        "contact_address": contact,
    }
    assert check(AddressStep, body)[1] == errors


@pytest.mark.parametrize(
    ("given", "stored", "code"),
    [
        ("85073003328", "85073003328", None),
        ("85.07.30-033.28", "85073003328", None),
        ("85073003327", None, "ssin.checksum"),
        ("8507300332", None, "ssin.length"),
        ("ABCDEFGHIJK", None, "ssin.format"),
        ("85133003341", None, "ssin.checksum"),
    ],
)
def test_a_claimed_niss_must_pass_its_check_digits(given, stored, code):
    value, errors = check(AddressStep, {**address(), "claimed_ssin": given})
    assert (value and value.claimed_ssin, errors) == (
        (stored, None) if code is None else (None, [("claimed_ssin", code)])
    )


@pytest.mark.parametrize(
    ("email", "language", "errors"),
    [
        ("hr@example.be", "fr", None),
        ("HR.Team+idpro@Example.BE", "de", None),
        ("not-an-address", "nl", [("notification_email", "email.invalid")]),
        ("a@b", "en", [("notification_email", "email.invalid")]),
        ("hr@example.be", "pl", [("language", "literal_error")]),
    ],
)
def test_the_submit_step_needs_an_email_and_one_of_four_languages(email, language, errors):
    assert check(SubmitStep, {"notification_email": email, "language": language})[1] == errors


def test_an_amendment_keeps_the_notification_settings_when_none_are_given():
    assert check(AmendmentSubmit, {})[0] == AmendmentSubmit()


def test_unknown_fields_are_refused_and_errors_never_hold_the_input():
    with pytest.raises(ValidationError) as refused:
        PersonStep.model_validate({"surnames": "Secretname1", "favourite_colour": "blue"})

    assert "Secretname1" not in str(refused.value) and "blue" not in str(refused.value)
    assert {e["type"] for e in refused.value.errors()} == {"name.characters", "extra_forbidden"}
