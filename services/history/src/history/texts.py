# ruff: noqa: E501
"""Readable timeline texts in the employer's language (fr, nl, de, en), from kind + details.

Codes (missing data, reasons, e-mail kinds, outcomes) read as contracts.labels words them.
"""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date

from contracts import format_ssin, label, labels
from contracts.labels import in_sentence

_TEXTS: dict[str, dict[str, str]] = {
    "submitted": {
        "en": "Request submitted by {actor}.",
        "fr": "Demande introduite par {actor}.",
        "nl": "Aanvraag ingediend door {actor}.",
        "de": "Antrag eingereicht von {actor}.",
    },
    "submitted_by_mandatary": {
        "en": "Request submitted by {actor} for the employer, as its mandatary {mandatary}.",
        "fr": "Demande introduite par {actor} pour l'employeur, en tant que mandataire {mandatary}.",
        "nl": "Aanvraag ingediend door {actor} voor de werkgever, als mandataris {mandatary}.",
        "de": "Antrag eingereicht von {actor} für den Arbeitgeber, als Bevollmächtigter {mandatary}.",
    },
    "info_provided": {
        "en": "Information added by {actor}; the request was resubmitted.",
        "fr": "Informations ajoutées par {actor} ; la demande a été réintroduite.",
        "nl": "Gegevens aangevuld door {actor}; de aanvraag is opnieuw ingediend.",
        "de": "Angaben ergänzt von {actor}; der Antrag wurde erneut eingereicht.",
    },
    "number_assigned": {
        "en": "Number {ssin} assigned ({outcome}).",
        "fr": "Numéro {ssin} attribué ({outcome}).",
        "nl": "Nummer {ssin} toegekend ({outcome}).",
        "de": "Nummer {ssin} zugeteilt ({outcome}).",
    },
    "under_review": {
        "en": "An agent is researching the request.",
        "fr": "Un agent examine la demande.",
        "nl": "Een medewerker onderzoekt de aanvraag.",
        "de": "Ein Sachbearbeiter prüft den Antrag.",
    },
    "information_requested": {
        "en": "Information requested: {missing}.",
        "fr": "Informations demandées : {missing}.",
        "nl": "Gegevens gevraagd: {missing}.",
        "de": "Angaben angefordert: {missing}.",
    },
    "rejected": {
        "en": "Request rejected: {reason}",
        "fr": "Demande refusée : {reason}",
        "nl": "Aanvraag geweigerd: {reason}",
        "de": "Antrag abgelehnt: {reason}",
    },
    "cancelled": {
        "en": "Request cancelled by {actor}.",
        "fr": "Demande annulée par {actor}.",
        "nl": "Aanvraag geannuleerd door {actor}.",
        "de": "Antrag storniert von {actor}.",
    },
    "info_reminded": {
        "en": "Reminder: the information asked for is still awaited ({missing}); the request expires on {expires_on}.",
        "fr": "Rappel : les informations demandées sont toujours attendues ({missing}) ; la demande expire le {expires_on}.",
        "nl": "Herinnering: de gevraagde gegevens worden nog verwacht ({missing}); de aanvraag vervalt op {expires_on}.",
        "de": "Erinnerung: Die angeforderten Angaben stehen noch aus ({missing}); der Antrag läuft am {expires_on} ab.",
    },
    "expired": {
        "en": "Request expired: the information asked for did not arrive within {after_days} days.",
        "fr": "Demande expirée : les informations demandées ne sont pas arrivées dans les {after_days} jours.",
        "nl": "Aanvraag vervallen: de gevraagde gegevens kwamen niet binnen {after_days} dagen aan.",
        "de": "Antrag abgelaufen: Die angeforderten Angaben sind nicht innerhalb von {after_days} Tagen eingegangen.",
    },
    "email_sent": {
        "en": "E-mail sent ({kind}).",
        "fr": "E-mail envoyé ({kind}).",
        "nl": "E-mail verzonden ({kind}).",
        "de": "E-Mail gesendet ({kind}).",
    },
    "email_failed": {
        "en": "E-mail could not be sent ({kind}).",
        "fr": "L'e-mail n'a pas pu être envoyé ({kind}).",
        "nl": "De e-mail kon niet worden verzonden ({kind}).",
        "de": "Die E-Mail konnte nicht gesendet werden ({kind}).",
    },
}
_AGENT = {"en": "an agent", "fr": "un agent", "nl": "een medewerker", "de": "ein Sachbearbeiter"}


def describe(kind: str, actor: str, details: dict[str, Any], language: str) -> str:
    """One sentence for one timeline entry."""
    template = _TEXTS.get(kind, {}).get(language) or _TEXTS.get(kind, {}).get("en") or kind
    by_agent = actor.startswith("agent:")
    params = {
        "actor": _AGENT[language] if by_agent else actor,
        "ssin": format_ssin(details.get("ssin")) or "—",
        "outcome": in_sentence(label("number_kind", details.get("kind"), language), language),
        "missing": _missing(details, language, by_agent=by_agent),
        "reason": _rejection(details, language),
        "kind": label("notification_kind", details.get("kind"), language),
        "expires_on": _day(details.get("expires_at"), language),
        "after_days": details.get("after_days", "—"),
        "mandatary": details.get("mandatary", "—"),
    }
    return template.format(**params)


def _day(moment: str | None, language: str) -> str:
    """A day as the language writes it (Brussels calendar), or a dash."""
    if not moment:
        return "—"
    when = datetime.fromisoformat(moment).astimezone(ZoneInfo("Europe/Brussels"))
    return format_date(when.date(), "long", locale=f"{language}_BE")


def _missing(details: dict[str, Any], language: str, *, by_agent: bool) -> str:
    """The data asked for, in words; an agent's own message after them."""
    asked = ", ".join(labels("missing", details.get("missing"), language))
    # An automatic request's message only repeats its codes, in English: never shown.
    message = (details.get("message") or "").strip().rstrip(".") if by_agent else ""
    return " — ".join(part for part in (asked, message) if part) or "—"


def _rejection(details: dict[str, Any], language: str) -> str:
    """The reason chosen, then what the agent wrote to the employer, if anything."""
    chosen = label("reject_reason", details.get("reason_code"), language)
    written = (details.get("reason") or "").strip()
    return f"{chosen} {written}" if written else chosen
