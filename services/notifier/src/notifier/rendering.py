"""Pure rendering of the e-mails an employer receives: kind + language + context in, message out."""

from __future__ import annotations

import base64
import binascii
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email import policy
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from stdnum.be import bis

from contracts import LANGUAGES, format_ssin, label, labels
from contracts.codes import NOTIFICATION_KINDS, NumberKind
from contracts.labels import in_sentence

KINDS = NOTIFICATION_KINDS
FALLBACK_LANGUAGE = "en"
SsinKind = NumberKind

_HERE = Path(__file__).parent
# Belgian regional variants, so dates read the way a Belgian administration writes them.
_LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "de": "de_BE", "en": "en_BE"}
_TIME_ZONE = ZoneInfo("Europe/Brussels")
_SUBJECT_MAX = 200
_LINE_BREAKS = {"\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"}
_ADDR_SPEC = re.compile(r"[^@\s<>()\[\],;:\"\\]+@[^@\s<>()\[\],;:\"\\]+\.[^@\s<>()\[\],;:\"\\]+")
_MESSAGE_ID = re.compile(r"<[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+>")
_NUMBER = re.compile(r"\d{11}")


@dataclass(frozen=True, kw_only=True)
class NotificationContext:
    """What one notification may say, taken from the event and the request it is about."""

    worker_name: str
    request_id: UUID | str
    portal_url: str
    occurred_at: datetime
    ssin: str | None = None
    ssin_kind: SsinKind | None = None
    expected_delay_days: int | None = None
    missing: tuple[str, ...] = ()
    message: str | None = None
    reason: str | None = None
    reason_code: str | None = None
    review_reason: str | None = None
    completed: tuple[str, ...] = ()
    # An information request's deadline (information_reminder): an ISO date or datetime.
    deadline: str | None = None


@dataclass(frozen=True)
class Rendered:
    """One rendered e-mail: subject line, plain-text body and HTML body."""

    subject: str
    text: str
    html: str


def render(kind: str, *, language: str, context: NotificationContext) -> Rendered:
    """Render the e-mail of `kind` in `language` (English when the language is not supported)."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind: {kind!r}")
    lang = resolve_language(language)
    env = _environment(lang)
    variables = _variables(kind, lang, context)
    subject = clean_subject(env.get_template(f"{kind}.subject.txt").render(variables))
    text = env.get_template(f"{kind}.txt").render(variables, subject=subject)
    html = env.get_template(f"{kind}.html").render(variables, subject=subject)
    return Rendered(subject=subject, text=text, html=html)


def resolve_language(language: str | None) -> str:
    """The supported language to write in: the primary subtag of `language`, else English."""
    primary = re.split(r"[-_]", (language or "").strip().lower(), maxsplit=1)[0]
    return primary if primary in LANGUAGES else FALLBACK_LANGUAGE


def request_url(portal_url: str, request_id: UUID | str) -> str:
    """The portal page where the employer follows (and answers) one request."""
    parts = urlsplit(portal_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or _has_control(portal_url):
        raise ValueError("portal_url must be an absolute http(s) URL")
    return f"{portal_url.rstrip('/')}/requests/{quote(str(request_id), safe='')}"


def one_line(value: str) -> str:
    """Collapse `value` to one printable line: breaks and controls become single spaces."""
    kept = []
    for char in value:
        category = unicodedata.category(char)
        if char in _LINE_BREAKS or category == "Cc":
            kept.append(" ")
        elif category[0] != "C":
            kept.append(char)
    return " ".join("".join(kept).split())


def multi_line(value: str) -> str:
    """Keep the lines of a free text (reason, message) but drop every other control character."""
    lines = re.split(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]", value)
    return "\n".join(one_line(line) for line in lines).strip("\n")


def clean_subject(subject: str) -> str:
    """A subject that is one line of printable text, cut at a readable length."""
    flat = one_line(subject)
    return flat if len(flat) <= _SUBJECT_MAX else flat[: _SUBJECT_MAX - 1].rstrip() + "…"


def _variables(kind: str, language: str, context: NotificationContext) -> dict[str, object]:
    """The template variables, every user-supplied value cleaned and the number formatted."""
    name = one_line(context.worker_name)
    if not name:
        raise ValueError("worker_name is empty")
    if kind == "number_assigned" and not _NUMBER.fullmatch(
        re.sub(r"[\s.-]", "", context.ssin or "")
    ):
        raise ValueError("number_assigned needs the ssin (11 digits)")
    delay = context.expected_delay_days
    deadline = (
        format_date(_local_date(_instant(context.deadline)), "long", locale=_LOCALES[language])
        if context.deadline
        else ""
    )
    return {
        "deadline": deadline,
        "language": language,
        "worker_name": name,
        "request_id": one_line(str(context.request_id)),
        "request_url": request_url(context.portal_url, context.request_id),
        "date": format_date(_local_date(context.occurred_at), "long", locale=_LOCALES[language]),
        "number": format_ssin(context.ssin) if context.ssin else None,
        "is_bis": _is_bis(context.ssin, context.ssin_kind),
        "is_new_bis": context.ssin_kind == "new_bis",
        "expected_delay_days": delay if delay is not None and delay > 0 else None,
        # Codes are read in the e-mail's language (contracts.labels), never quoted.
        "missing": labels("missing", [c for c in map(one_line, context.missing) if c], language),
        "completed": [
            in_sentence(t, language) for t in labels("field", context.completed, language)
        ],
        "message": multi_line(context.message or ""),
        "reason": multi_line(context.reason or ""),
        "reason_text": label("reject_reason", context.reason_code, language)
        if context.reason_code
        else "",
        "review_reason": label("review_reason_employer", context.review_reason, language)
        if context.review_reason
        else "",
    }


def _is_bis(ssin: str | None, kind: SsinKind | None) -> bool:
    """Whether the number is a BIS number: told by the event, else read from the number itself."""
    if kind is not None:
        return kind != "national_register"
    return bool(ssin) and bis.is_valid(ssin)


def _local_date(moment: datetime) -> date:
    """The Brussels calendar date of an instant (a naive instant is taken as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(_TIME_ZONE).date()


def _instant(value: str) -> datetime:
    """An ISO date or datetime as an instant (a date alone: its start, UTC)."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _has_control(value: str) -> bool:
    """Whether `value` holds a line break or any other control character."""
    return any(char in _LINE_BREAKS or unicodedata.category(char) == "Cc" for char in value)


@cache
def _environment(language: str) -> Environment:
    """One Jinja2 environment per language: HTML autoescaped, text not, gettext installed."""
    env = Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        autoescape=select_autoescape(["html"], default_for_string=False, default=False),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(_translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env


def _translations(language: str) -> NullTranslations:
    """The message catalogue of `language`; English is the source text itself."""
    if language == FALLBACK_LANGUAGE:
        return NullTranslations()
    with (_HERE / "locales" / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled)


def claimed_message(claimed, *, portal_url: str, sender: str, message_id: str) -> Mail:
    """The e-mail of a claimed notification (repository.claim_due's row, with its contact)."""
    context = claimed.context or {}
    rendering = NotificationContext(
        worker_name=claimed.worker_name,
        request_id=claimed.request_id,
        portal_url=portal_url,
        occurred_at=claimed.created_at,
        ssin=context.get("ssin"),
        ssin_kind=context.get("ssin_kind"),
        expected_delay_days=context.get("expected_delay_days"),
        missing=tuple(context.get("missing") or ()),
        message=context.get("message"),
        reason=context.get("reason"),
        reason_code=context.get("reason_code"),
        review_reason=context.get("review_reason"),
        completed=tuple(context.get("completed") or ()),
        deadline=context.get("deadline"),
    )
    rendered = render(claimed.kind, language=claimed.language, context=rendering)
    return build_message(
        rendered,
        sender=sender,
        recipient=claimed.email,
        message_id=message_id,
        sent_at=datetime.now(UTC),
    )


@dataclass(frozen=True)
class Mail:
    """A built e-mail: the envelope's two addresses and the message's bytes as sent (7-bit,
    CRLF line ends)."""

    sender: str
    recipient: str
    data: bytes

    @property
    def smtputf8(self) -> bool:
        """Whether an address needs the server's SMTPUTF8 (as aiosmtplib's send_message asks)."""
        return not (self.sender + self.recipient).isascii()


def build_message(
    rendered: Rendered,
    *,
    sender: str,
    recipient: str,
    message_id: str,
    reply_to: str | None = None,
    sent_at: datetime | None = None,
) -> Mail:
    """A multipart/alternative UTF-8 e-mail (text + HTML) to exactly one recipient.

    Written out directly (the headers of the e-mail package's output, both parts quoted-printable):
    building an EmailMessage and flattening it took ~3 ms an e-mail, a fifth of the notifier's
    CPU under load."""
    if not _MESSAGE_ID.fullmatch(message_id):
        raise ValueError("message_id must look like <id@domain>")
    sender_spec, from_line = _address_line("From", sender, role="sender")
    recipient_spec, to_line = _address_line("To", recipient, role="recipient")
    lines = [_subject_line(clean_subject(rendered.subject)), from_line, to_line]
    if reply_to is not None:
        lines.append(_address_line("Reply-To", reply_to, role="reply_to")[1])
    lines.append(f"Message-ID: {message_id}")
    if sent_at is not None:
        lines.append(
            f"Date: {format_datetime(sent_at if sent_at.tzinfo else sent_at.replace(tzinfo=UTC))}"
        )
    boundary = f"=_{uuid4().hex}"  # "=_" never occurs in quoted-printable text
    lines += [
        "Auto-Submitted: auto-generated",  # RFC 3834: auto-responders do not answer
        "MIME-Version: 1.0",
        f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"',
        "",
    ]
    head = "\r\n".join(lines).encode("ascii")
    parts = b"".join(
        b'\r\n--%s\r\nContent-Type: text/%s; charset="utf-8"\r\n'
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n%s"
        % (boundary.encode(), subtype, _quoted_printable(body))
        for subtype, body in ((b"plain", rendered.text), (b"html", rendered.html))
    )
    return Mail(
        sender_spec, recipient_spec, b"%s%s\r\n--%s--\r\n" % (head, parts, boundary.encode())
    )


def _quoted_printable(body: str) -> bytes:
    encoded = binascii.b2a_qp(body.replace("\r\n", "\n").encode("utf-8"), istext=True)
    return encoded.replace(b"\n", b"\r\n")


def _subject_line(subject: str) -> str:
    """An ASCII subject as it is, or RFC 2047 encoded-words of whole characters, folded."""
    if subject.isascii() and len(subject) <= 68 and "=?" not in subject:
        return f"Subject: {subject}"
    words, chunk = [], ""
    for char in subject:
        if len((chunk + char).encode("utf-8")) > 42:  # 56 base64 characters: lines of 77
            words.append(chunk)
            chunk = ""
        chunk += char
    words.append(chunk)
    encoded = (f"=?utf-8?b?{base64.b64encode(w.encode('utf-8')).decode()}?=" for w in words)
    return "Subject: " + "\r\n ".join(encoded)


@lru_cache(maxsize=4096)
def _address_line(name: str, value: str, *, role: str) -> tuple[str, str]:
    """The address's addr-spec and its header line, as the e-mail package folds it (one
    address, checked by single_address; the same few senders and recipients come back)."""
    address = single_address(value, role=role)
    header = EmailMessage(policy=policy.SMTP)
    header[name] = address
    return address.addr_spec, header.as_bytes().decode("ascii").rstrip("\r\n")


def single_address(value: str, *, role: str) -> Address:
    """Parse exactly one e-mail address; refuse line breaks, controls and lists."""
    if _has_control(value):
        raise ValueError(f"{role} contains a line break or control character")
    pairs = getaddresses([value])
    if len(pairs) != 1 or not _ADDR_SPEC.fullmatch(pairs[0][1]):
        raise ValueError(f"{role} must be exactly one e-mail address")
    display_name, addr_spec = pairs[0]
    try:
        return Address(display_name=one_line(display_name), addr_spec=addr_spec)
    except (HeaderParseError, ValueError, IndexError) as error:
        raise ValueError(f"{role} is not a valid e-mail address") from error
