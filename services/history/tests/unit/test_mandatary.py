"""A request a social secretariat sent for an employer names the secretariat on the timeline."""

from uuid import uuid4

from contracts import Address, Person, RequestData, RequestSubmitted
from history.domain import timeline_item
from history.texts import describe


def test_a_request_a_secretariat_sent_names_it_on_the_timeline():
    sent = RequestSubmitted(
        producer="intake",
        request_id=uuid4(),
        employer_id="0403170701",
        requester_id="sec-1",
        requester_name="Sofie",
        mandatary_id="0811111111",
        data=RequestData(person=Person(surnames="Kowalska"), residence=Address(country="PL")),
        notification_email="hr@example.com",
        language="fr",
    )
    item = timeline_item(sent)

    assert describe(item.kind, item.actor, item.details, "fr") == (
        "Demande introduite par Sofie pour l'employeur, en tant que mandataire 0811111111."
    )
