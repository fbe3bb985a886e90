"""Readable timeline texts in the employer's language (fr, nl, de, en), from kind + details."""

from typing import Any

_TEXTS: dict[str, dict[str, str]] = {
    "submitted": {
        "en": "Request submitted by {actor}.",
        "fr": "Demande introduite par {actor}.",
        "nl": "Aanvraag ingediend door {actor}.",
        "de": "Antrag eingereicht von {actor}.",
    },
    "info_provided": {
        "en": "Information added by {actor}; the request was resubmitted.",
        "fr": "Informations ajoutées par {actor} ; la demande a été réintroduite.",
        "nl": "Gegevens aangevuld door {actor}; de aanvraag is opnieuw ingediend.",
        "de": "Angaben ergänzt von {actor}; der Antrag wurde erneut eingereicht.",
    },
    "number_assigned": {
        "en": "Number {ssin} assigned.",
        "fr": "Numéro {ssin} attribué.",
        "nl": "Nummer {ssin} toegekend.",
        "de": "Nummer {ssin} zugeteilt.",
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
        "en": "Request rejected: {reason}.",
        "fr": "Demande refusée : {reason}.",
        "nl": "Aanvraag geweigerd: {reason}.",
        "de": "Antrag abgelehnt: {reason}.",
    },
    "cancelled": {
        "en": "Request cancelled by {actor}.",
        "fr": "Demande annulée par {actor}.",
        "nl": "Aanvraag geannuleerd door {actor}.",
        "de": "Antrag storniert von {actor}.",
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
# What each e-mail was about, as the employer would name it.
_EMAIL_KINDS: dict[str, dict[str, str]] = {
    "request_received": {
        "en": "request received",
        "fr": "demande reçue",
        "nl": "aanvraag ontvangen",
        "de": "Antrag eingegangen",
    },
    "number_assigned": {
        "en": "number assigned",
        "fr": "numéro attribué",
        "nl": "nummer toegekend",
        "de": "Nummer zugeteilt",
    },
    "under_review": {
        "en": "research under way",
        "fr": "recherche en cours",
        "nl": "onderzoek loopt",
        "de": "Prüfung läuft",
    },
    "information_requested": {
        "en": "information requested",
        "fr": "informations demandées",
        "nl": "gegevens gevraagd",
        "de": "Angaben angefordert",
    },
    "rejected": {
        "en": "request rejected",
        "fr": "demande refusée",
        "nl": "aanvraag geweigerd",
        "de": "Antrag abgelehnt",
    },
    "cancelled": {
        "en": "cancellation confirmed",
        "fr": "annulation confirmée",
        "nl": "annulering bevestigd",
        "de": "Stornierung bestätigt",
    },
}
_AGENT = {"en": "an agent", "fr": "un agent", "nl": "een medewerker", "de": "ein Sachbearbeiter"}


def describe(kind: str, actor: str, details: dict[str, Any], language: str) -> str:
    """One sentence for one timeline entry."""
    template = _TEXTS.get(kind, {}).get(language) or _TEXTS.get(kind, {}).get("en") or kind
    who = _AGENT[language] if actor.startswith("agent:") else actor
    params = {
        "actor": who,
        "ssin": format_ssin(details.get("ssin")),
        "missing": ", ".join(details.get("missing") or []) or details.get("message") or "—",
        "reason": details.get("reason") or details.get("reason_code") or "—",
        "kind": _EMAIL_KINDS.get(details.get("kind") or "", {}).get(language)
        or details.get("kind")
        or "—",
    }
    return template.format(**params)


def format_ssin(ssin: str | None) -> str:
    """YY.MM.DD-SSS.CC, as the number is printed."""
    if not ssin or len(ssin) != 11:
        return ssin or "—"
    return f"{ssin[:2]}.{ssin[2:4]}.{ssin[4:6]}-{ssin[6:9]}.{ssin[9:]}"
