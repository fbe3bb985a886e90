"""Pure rules behind the wizard: step completeness, assembling a request, the duplicate key."""

from uuid import uuid4

import pytest

from contracts import DocumentRef
from intake.domain import assemble, person_key, step_states, steps_of

STEPS = {
    "document": {"type": "passport", "issuing_country": "PL"},
    "person": {
        "surnames": "Kowalska",
        "given_names": "Anna",
        "birth_date": "1990-04-02",
        "document_number": "EA1234567",
        "document_expiry_date": "2031-01-01",
    },
    "address": {"residence": {"city": "Kraków", "country": "PL"}},
}


def test_an_empty_draft_lacks_every_step():
    states = step_states({}, page_count=0)

    assert {name: s.missing for name, s in states.items()} == {
        "document": ("type", "issuing_country", "pages"),
        "person": ("surnames",),
        "address": ("residence",),
    }


def test_a_draft_with_every_step_and_a_page_is_complete():
    assert all(s.complete for s in step_states(STEPS, page_count=1).values())


def test_assembling_puts_the_document_fields_together_and_round_trips_to_steps():
    ref = DocumentRef(document_id=uuid4(), sha256="a" * 64, media_type="image/jpeg", pages=1)

    data = assemble(STEPS, [ref])

    assert data.person.document.number == "EA1234567" and data.person.document.type == "passport"
    assert data.documents == [ref]
    assert steps_of(data)["person"]["document_number"] == "EA1234567"
    assert steps_of(data)["document"] == STEPS["document"]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("Müller", "Jürgen"), ("MULLER", "jurgen")),
        (("Łukasz", "Nowak"), ("Nowak", "Lukasz")),
        (("Kowalska-Nowak", "Anna"), ("Kowalska Nowak", "Anna")),
        (("D'Alembert", "Jean"), ("D’Alembert", "Jean")),
    ],
)
def test_spellings_of_one_name_share_a_duplicate_key(one, other):
    assert person_key(*one, "1990-04-02") == person_key(*other, "1990-04-02") is not None


def test_another_birth_date_or_none_at_all_is_no_duplicate():
    assert person_key("Kowalska", "Anna", "1990-04-02") != person_key(
        "Kowalska", "Anna", "1990-04-03"
    )
    assert person_key("Kowalska", "Anna", None) is None
