"""`idpro-stack`: run the embedded infrastructure in the foreground, read the kept mail."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from contextlib import ExitStack
from pathlib import Path

from devstack.broker import Broker
from devstack.mailbox import Mailbox
from devstack.postgres import EmbeddedPostgres
from devstack.smtp import SmtpSink

STATE_DIR = Path(".devstack")


def main(argv: list[str] | None = None) -> int:
    """Entry point of `idpro-stack`."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every connection
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="idpro-stack", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    infra = commands.add_parser("infra", help="start broker, PostgreSQL and SMTP sink until Ctrl-C")
    infra.add_argument("--state-dir", type=Path, default=STATE_DIR, help="default: .devstack")
    infra.add_argument("--kafka-port", type=int, default=9092, help="0 = any free port")
    infra.add_argument("--postgres-port", type=int, default=5433, help="0 = any free port")
    infra.add_argument("--smtp-port", type=int, default=1025, help="0 = any free port")
    infra.set_defaults(run=_infra)
    mail = commands.add_parser("mail", help="read the messages the SMTP sink kept")
    mail.add_argument(
        "--folder", type=Path, default=STATE_DIR / "mail", help="default: .devstack/mail"
    )
    mail_commands = mail.add_subparsers(required=True, metavar="ACTION")
    mail_commands.add_parser("list", help="one line per message").set_defaults(run=_mail_list)
    show = mail_commands.add_parser("show", help="headers and text of one message")
    show.add_argument("id")
    show.set_defaults(run=_mail_show)
    return parser


def _infra(args: argparse.Namespace) -> int:
    state = args.state_dir.resolve()
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with ExitStack() as stack:
        broker = stack.enter_context(Broker(port=args.kafka_port or None, log_dir=state / "logs"))
        postgres = stack.enter_context(
            EmbeddedPostgres(data_dir=state / "pgdata", port=args.postgres_port or None)
        )
        sink = stack.enter_context(SmtpSink(port=args.smtp_port or None, folder=state / "mail"))
        print(f"IDPRO_KAFKA_BOOTSTRAP_SERVERS={broker.bootstrap}")
        print(f"IDPRO_POSTGRES_URL={postgres.admin_url}")
        print(f"IDPRO_SMTP_HOST={sink.host}\nIDPRO_SMTP_PORT={sink.port}", flush=True)
        stop.wait()
        print("stopping", file=sys.stderr)
    return 0


def _mail_list(args: argparse.Namespace) -> int:
    mails = Mailbox(args.folder).list()
    for mail in mails:
        print(f"{mail.id}  {mail.date}  {mail.envelope_from} -> {', '.join(mail.envelope_to)}")
        print(f"    {mail.subject}  {mail.message_id}")
    print(f"{len(mails)} message(s) in {args.folder}", file=sys.stderr)
    return 0


def _mail_show(args: argparse.Namespace) -> int:
    try:
        mail = Mailbox(args.folder).get(args.id)
    except KeyError:
        print(f"no message {args.id!r} in {args.folder}", file=sys.stderr)
        return 1
    for name in ("From", "To", "Cc", "Subject", "Date", "Message-ID"):
        if value := mail.message.get(name):
            print(f"{name}: {value}")
    print(f"Envelope: {mail.envelope_from} -> {', '.join(mail.envelope_to)}\n")
    print(mail.text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
