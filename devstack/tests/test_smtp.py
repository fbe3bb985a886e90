"""The SMTP sink against a real SMTP client (aiosmtplib)."""

from email.message import EmailMessage

import aiosmtplib
import pytest

from devstack.cli import main
from devstack.mailbox import Mailbox
from devstack.smtp import SmtpSink


@pytest.fixture
def sink(tmp_path):
    with SmtpSink(folder=tmp_path / "mail") as sink:
        yield sink


def message(subject: str = "Numéro attribué", to: str = "hr@example.be") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "idpro@example.be"
    mail["To"] = to
    mail["Subject"] = subject
    mail["Message-ID"] = "<m-1@idpro.test>"
    mail.set_content("Bonjour Zoë, votre demande est traitée.")
    return mail


async def send(sink, mail: EmailMessage, **options):
    return await aiosmtplib.send(mail, hostname=sink.host, port=sink.port, timeout=5, **options)


async def test_a_sent_message_arrives_in_the_mailbox_with_every_recipient(sink):
    await send(sink, message(to="hr@example.be, boss@example.be"), recipients=[
        "hr@example.be", "boss@example.be", "audit@example.be"
    ])  # fmt: skip

    mail = await sink.mailbox.wait_for(lambda m: m.subject == "Numéro attribué", timeout=5)

    assert mail.envelope_to == ("hr@example.be", "boss@example.be", "audit@example.be")
    assert mail.to == ("hr@example.be", "boss@example.be")
    assert (mail.sender, mail.message_id) == ("idpro@example.be", "<m-1@idpro.test>")
    assert "Zoë" in mail.text
    assert [m.id for m in sink.received] == [mail.id]


async def test_fail_next_answers_421_once_then_accepts(sink):
    sink.fail_next(1, code=421, text="Try again later")

    with pytest.raises(aiosmtplib.SMTPResponseException) as refused:
        await send(sink, message())
    await send(sink, message())

    assert refused.value.code == 421
    assert len(sink.mailbox.list()) == 1


async def test_a_permanent_recipient_failure_keeps_nothing(sink):
    sink.fail_next(1, code=550, text="No such user", stage="RCPT")

    with pytest.raises(aiosmtplib.SMTPRecipientsRefused):
        await send(sink, message())

    assert sink.mailbox.list() == []


async def test_a_fault_for_one_recipient_leaves_the_others_alone(sink):
    sink.fail_next(1, code=550, text="No such user", stage="RCPT", to="gone@example.be")

    await send(sink, message(to="hr@example.be"))
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused):
        await send(sink, message(to="gone@example.be"))
    await send(sink, message(to="gone@example.be"))

    assert [m.envelope_to for m in sink.received] == [("hr@example.be",), ("gone@example.be",)]


async def test_a_refusing_sink_accepts_again_on_the_same_port(sink):
    sink.refuse_connections()
    with pytest.raises(aiosmtplib.SMTPConnectError):
        await send(sink, message())

    sink.accept_connections()
    await send(sink, message())

    assert len(sink.mailbox.list()) == 1


async def test_an_smtputf8_address_is_kept(sink):
    await send(sink, message(to="zoë@example.be"))

    mail = await sink.mailbox.wait_for(timeout=5)

    assert mail.envelope_to == ("zoë@example.be",)


async def test_the_session_sink_keeps_mail_until_cleared(smtp_sink):
    if smtp_sink.mailbox is None:
        pytest.skip("IDPRO_SMTP_HOST names a real server; its mailbox is not readable here")
    smtp_sink.clear()
    await send(smtp_sink, message(subject="session"))

    assert [m.subject for m in smtp_sink.mailbox.list()] == ["session"]
    smtp_sink.clear()
    assert smtp_sink.mailbox.list() == []


async def test_the_cli_lists_and_shows_kept_mail(sink, capsys):
    await send(sink, message())
    mail_id = Mailbox(sink.folder).list()[0].id

    assert main(["mail", "--folder", str(sink.folder), "list"]) == 0
    assert main(["mail", "--folder", str(sink.folder), "show", mail_id]) == 0
    assert main(["mail", "--folder", str(sink.folder), "show", "nope"]) == 1

    printed = capsys.readouterr().out
    assert mail_id in printed and "Subject: Numéro attribué" in printed and "Zoë" in printed
