"""The minimum identification data rule: which alternative is met, or which is closest."""

import pytest

from contracts import Address, Person, RequestData
from intake.domain import check_minimum_data

ABROAD = Address(city="Kraków", country="PL")
IN_BELGIUM = Address(city="Liège", postal_code="4000", country="BE")
CONTACT = Address(
    street="Rue Haute", number="10", postal_code="1000", city="Bruxelles", country="BE"
)


def request(*, residence=ABROAD, contact=None, **person) -> RequestData:
    """Kowalska, living in Kraków unless told otherwise, with the person fields given."""
    return RequestData(
        person=Person(**{"surnames": "Kowalska", **person}),
        residence=residence,
        contact_address=contact,
    )


FULL = {"birth_date": "1990-04-02", "birth_place": "Kraków", "sex": "female"}


@pytest.mark.parametrize(
    ("data", "alternative"),
    [
        (request(**FULL), 1),
        (request(birth_date="1990"), 2),
        (request(birth_date="1990-04", contact=CONTACT), 2),
        # A residence in Belgium counts as a Belgian address, as matching counts it.
        (request(birth_date="1990", residence=IN_BELGIUM), 3),
    ],
)
def test_a_request_meeting_an_alternative_is_identifiable(data, alternative):
    verdict = check_minimum_data(data)

    assert (verdict.met, verdict.alternative, verdict.missing) == (True, alternative, ())


@pytest.mark.parametrize(
    ("data", "alternative", "missing"),
    [
        # Abroad without a birth date: one fact away from (2), three from (1).
        (request(), 2, ("birth_date",)),
        # (1) and (2) both lack one fact: a tie names the lower number.
        (request(sex="male", birth_place="Kraków"), 1, ("full_birth_date",)),
        # In Belgium without a birth date: (3) needs only the date, (2) cannot be met.
        (request(residence=IN_BELGIUM, sex="female"), 3, ("birth_date",)),
        # A nameless request lacks the name in every alternative: the nearest is still named.
        (request(surnames=" ", birth_date="1990"), 2, ("name",)),
    ],
)
def test_an_unidentifiable_request_names_the_closest_alternative_and_its_gaps(
    data, alternative, missing
):
    verdict = check_minimum_data(data)

    assert (verdict.met, verdict.alternative, verdict.missing) == (False, alternative, missing)
