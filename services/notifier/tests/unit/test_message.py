"""Building the e-mail: one recipient, no injectable header, a deterministic Message-ID."""

from dataclasses import replace
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.utils import getaddresses
from uuid import UUID

import pytest

from notifier.rendering import (
    KINDS,
    NotificationContext,
    Rendered,
    build_message,
    render,
)

MESSAGE_ID = "<5f0c1d2e3a4b5c6d7e8f90a1b2c3d4e5@idpro.example>"  # as the claim derives one
EVIL = "Anna\r\nBcc: evil@x\r\n\r\nhijacked"
CONTEXT = NotificationContext(
    worker_name="Anna Kowalska",
    request_id=UUID("6f1c2b1e-52a4-4c62-9d0e-2a61b7a3c001"),
    portal_url="https://portal.idpro.example",
    occurred_at=datetime(2025, 3, 4, 10, 0, tzinfo=UTC),
    ssin="85073003328",
    reason="The document has expired.",
)


def message_for(rendered: Rendered, recipient: str = "hr@employer.example") -> bytes:
    """The wire bytes of a built message, as an SMTP client would send them."""
    built = build_message(
        rendered,
        sender="idpro <no-reply@idpro.example>",
        recipient=recipient,
        message_id=MESSAGE_ID,
    )
    return built.data


def parsed(mail):
    return message_from_bytes(mail.data, policy=policy.default)


@pytest.mark.parametrize("kind", KINDS)
def test_line_breaks_and_bcc_in_name_or_reason_never_become_headers(kind):
    hostile = replace(CONTEXT, worker_name=EVIL, reason=EVIL, message=EVIL)

    parsed = message_from_bytes(
        message_for(render(kind, language="en", context=hostile)), policy=policy.default
    )

    assert set(parsed.keys()) == {
        "Subject",
        "From",
        "To",
        "Message-ID",
        "Auto-Submitted",
        "MIME-Version",
        "Content-Type",
    }
    assert all(part.get("Bcc") is None for part in parsed.walk())
    assert [address for _, address in getaddresses(parsed.get_all("To"))] == ["hr@employer.example"]
    assert "\n" not in parsed["Subject"] and "Bcc: evil@x" in parsed["Subject"]


def test_the_subject_is_one_line_without_control_characters():
    name = "Anna\x00\x1b[31m\u2028Kowalska\u202e\t"

    subject = render(
        "request_received", language="en", context=replace(CONTEXT, worker_name=name)
    ).subject

    assert subject == "Request received – Anna [31m Kowalska"


def test_a_very_long_name_gives_a_shortened_subject():
    subject = render(
        "rejected", language="en", context=replace(CONTEXT, worker_name="A" * 500)
    ).subject

    assert len(subject) <= 200 and subject.endswith("…")


@pytest.mark.parametrize(
    "recipient", ["hr@x.example\r\nBcc: evil@x", "hr@x.example\nBcc: evil@x", "hr@x.example\r"]
)
def test_a_recipient_with_a_line_break_is_refused(recipient):
    with pytest.raises(ValueError):
        message_for(render("cancelled", language="en", context=CONTEXT), recipient=recipient)


@pytest.mark.parametrize(
    "recipient",
    ["hr@x.example, evil@y.example", "hr@x.example; evil@y.example", "", "not-an-address"],
)
def test_a_recipient_that_is_not_exactly_one_address_is_refused(recipient):
    with pytest.raises(ValueError):
        message_for(render("cancelled", language="en", context=CONTEXT), recipient=recipient)


def test_a_sender_or_reply_to_with_a_line_break_is_refused():
    rendered = render("cancelled", language="en", context=CONTEXT)
    message_id = MESSAGE_ID

    with pytest.raises(ValueError):
        build_message(
            rendered,
            sender="a@x.example\nBcc: e@x",
            recipient="hr@x.example",
            message_id=message_id,
        )
    with pytest.raises(ValueError):
        build_message(
            rendered,
            sender="a@x.example",
            recipient="hr@x.example",
            message_id=message_id,
            reply_to="r@x.example\r\nBcc: e@x",
        )


def test_the_message_is_multipart_alternative_with_utf8_text_then_html():
    rendered = render(
        "number_assigned", language="de", context=replace(CONTEXT, worker_name="Łukasz Müller")
    )

    parsed = message_from_bytes(message_for(rendered), policy=policy.default)

    assert parsed.get_content_type() == "multipart/alternative"
    text, html = parsed.iter_parts()
    assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert text.get_content_charset() == html.get_content_charset() == "utf-8"
    assert "Łukasz Müller" in text.get_content() and "85.07.30-033.28" in html.get_content()
    assert parsed["Subject"] == "Identifikationsnummer zugewiesen – Łukasz Müller"


def test_the_reply_to_header_is_set_only_when_given():
    rendered = render("cancelled", language="en", context=CONTEXT)
    message_id = MESSAGE_ID

    with_reply = build_message(
        rendered,
        sender="a@x.example",
        recipient="hr@x.example",
        message_id=message_id,
        reply_to="help@x.example",
    )
    without = build_message(
        rendered, sender="a@x.example", recipient="hr@x.example", message_id=message_id
    )

    assert parsed(with_reply)["Reply-To"] == "help@x.example"
    assert parsed(without)["Reply-To"] is None


def test_the_built_message_carries_the_given_message_id():
    parsed = message_from_bytes(
        message_for(render("cancelled", language="en", context=CONTEXT)), policy=policy.default
    )

    assert parsed["Message-ID"] == MESSAGE_ID


def test_a_message_id_with_a_line_break_is_refused():
    rendered = render("cancelled", language="en", context=CONTEXT)

    with pytest.raises(ValueError):
        build_message(
            rendered, sender="a@x.example", recipient="hr@x.example", message_id="<a@b>\r\nBcc: e@x"
        )


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_the_wire_message_reads_back_as_rendered_in_seven_bit_lines_of_at_most_78(kind, language):
    rendered = render(
        kind, language=language, context=replace(CONTEXT, worker_name="Łukasz Müller-Ñúñez")
    )

    mail = build_message(
        rendered,
        sender="idpro — Équipe <no-reply@idpro.example>",
        recipient="hr@employer.example",
        message_id=MESSAGE_ID,
        sent_at=datetime(2025, 3, 4, 10, 0, tzinfo=UTC),
    )
    message = parsed(mail)

    assert (mail.sender, mail.recipient) == ("no-reply@idpro.example", "hr@employer.example")
    assert mail.data.isascii() and b"\n" not in mail.data.replace(b"\r\n", b"")
    assert max(len(line) for line in mail.data.split(b"\r\n")) <= 78
    assert message["Subject"] == rendered.subject
    assert message["From"].addresses[0].display_name == "idpro — Équipe"
    assert message["Date"].datetime == datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
    text, html = message.iter_parts()
    # The wire's line ends are CRLF, as the e-mail package's own output had them.
    assert text.get_content().replace("\r\n", "\n") == rendered.text
    assert html.get_content().replace("\r\n", "\n") == rendered.html


@pytest.mark.parametrize(
    "name", ["Ł" * 300, "Anna =?utf-8?q?Bcc:_evil?= Kowalska", "A" * 300, "Ана Ковальска 😀" * 9]
)
def test_long_unusual_or_encoded_looking_subjects_read_back_exactly(name):
    rendered = render("rejected", language="en", context=replace(CONTEXT, worker_name=name))

    mail = build_message(
        rendered, sender="a@x.example", recipient="hr@x.example", message_id=MESSAGE_ID
    )

    assert parsed(mail)["Subject"] == rendered.subject
    assert max(len(line) for line in mail.data.split(b"\r\n")) <= 78
