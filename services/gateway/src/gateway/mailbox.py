"""The SMTP sink's folder of .eml files, read with the email stdlib (development only)."""

import email
import email.policy
import re
from dataclasses import dataclass
from pathlib import Path

_ID = re.compile(r"^[A-Za-z0-9._-]{1,200}$")


@dataclass(frozen=True)
class Mail:
    id: str
    sender: str
    to: str
    subject: str
    date: str
    text: str
    html: str | None


def _parse(path: Path) -> Mail:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return Mail(
        id=path.stem,
        sender=str(message.get("From", "")),
        to=str(message.get("To", "")),
        subject=str(message.get("Subject", "")),
        date=str(message.get("Date", "")),
        text=plain.get_content() if plain is not None else "",
        html=html.get_content() if html is not None else None,
    )


def list_mails(folder: Path) -> list[Mail]:
    """Every message, newest first."""
    if not folder.is_dir():
        return []
    paths = sorted(
        (p for p in folder.glob("*.eml") if not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    return [_parse(p) for p in paths]


def get_mail(folder: Path, mail_id: str) -> Mail:
    """One message; KeyError when there is none (or the id is not a plain file name)."""
    path = folder / f"{mail_id}.eml"
    if not _ID.match(mail_id) or not path.is_file():
        raise KeyError(mail_id)
    return _parse(path)
