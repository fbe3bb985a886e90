"""Every message key intake answers with, in fr, nl, de and en (documents' keys included).

Served at GET /drafts/messages so the gateway and API clients can show them; a problem body also
carries the text in the language Accept-Language asks for. Texts never hold the input.
"""

# ruff: noqa: E501

from string import Formatter
from typing import Any

from contracts.eligibility import REFUSED
from contracts.identification import MINIMUM_DATA_ITEMS
from contracts.labels import LABELS
from intake.batch_texts import BATCH_MESSAGES
from intake.documents import MESSAGES as DOCUMENT_MESSAGES


def _t(fr: str, nl: str, de: str, en: str) -> dict[str, str]:
    return {"fr": fr, "nl": nl, "de": de, "en": en}


_WIZARD: dict[str, dict[str, str]] = {
    "document.quota_exceeded": _t(
        "Trop de scans ont été vérifiés pour cet employeur en peu de temps. Réessayez dans quelques minutes.",
        "Er werden in korte tijd te veel scans voor deze werkgever gecontroleerd. Probeer het over enkele minuten opnieuw.",
        "Für diesen Arbeitgeber wurden in kurzer Zeit zu viele Scans geprüft. Versuchen Sie es in einigen Minuten erneut.",
        "Too many scans were checked for this employer in a short time. Try again in a few minutes.",
    ),
    "validation.failed": _t(
        "Certaines données ne sont pas valables.",
        "Sommige gegevens zijn niet geldig.",
        "Einige Angaben sind ungültig.",
        "Some data are not valid.",
    ),
    "validation.invalid": _t(
        "Cette valeur n'est pas valable.",
        "Deze waarde is niet geldig.",
        "Dieser Wert ist ungültig.",
        "This value is not valid.",
    ),
    "validation.missing": _t(
        "Ce champ est obligatoire.",
        "Dit veld is verplicht.",
        "Dieses Feld ist erforderlich.",
        "This field is required.",
    ),
    "validation.extra_forbidden": _t(
        "Ce champ n'est pas prévu.",
        "Dit veld is niet voorzien.",
        "Dieses Feld ist nicht vorgesehen.",
        "This field is not expected.",
    ),
    "validation.literal_error": _t(
        "Choisissez une des valeurs proposées.",
        "Kies een van de voorgestelde waarden.",
        "Wählen Sie einen der angebotenen Werte.",
        "Choose one of the offered values.",
    ),
    "validation.string_type": _t(
        "Un texte est attendu.",
        "Een tekst wordt verwacht.",
        "Ein Text wird erwartet.",
        "A text is expected.",
    ),
    "validation.json_invalid": _t(
        "Le contenu envoyé n'est pas du JSON valable.",
        "De verzonden inhoud is geen geldige JSON.",
        "Der gesendete Inhalt ist kein gültiges JSON.",
        "The body sent is not valid JSON.",
    ),
    "name.length": _t(
        "Entre 1 et {max_length} caractères.",
        "Tussen 1 en {max_length} tekens.",
        "Zwischen 1 und {max_length} Zeichen.",
        "Between 1 and {max_length} characters.",
    ),
    "name.characters": _t(
        "Utilisez uniquement des lettres, apostrophes, traits d'union et espaces.",
        "Gebruik enkel letters, apostrofs, koppeltekens en spaties.",
        "Verwenden Sie nur Buchstaben, Apostrophe, Bindestriche und Leerzeichen.",
        "Use letters, apostrophes, hyphens and spaces only.",
    ),
    "text.length": _t(
        "Entre 1 et {max_length} caractères.",
        "Tussen 1 en {max_length} tekens.",
        "Zwischen 1 und {max_length} Zeichen.",
        "Between 1 and {max_length} characters.",
    ),
    "text.characters": _t(
        "Ce texte contient des caractères non imprimables.",
        "Deze tekst bevat tekens die niet afgedrukt kunnen worden.",
        "Dieser Text enthält nicht druckbare Zeichen.",
        "This text holds characters that cannot be printed.",
    ),
    "place.characters": _t(
        "Utilisez uniquement des lettres, des espaces et les signes ' - . , ( ) /.",
        "Gebruik enkel letters, spaties en de tekens ' - . , ( ) /.",
        "Verwenden Sie nur Buchstaben, Leerzeichen und die Zeichen ' - . , ( ) /.",
        "Use letters, spaces and the signs ' - . , ( ) / only.",
    ),
    "country.unknown": _t(
        "Indiquez le pays par son code ISO 3166-1 à deux lettres.",
        "Geef het land op met zijn ISO 3166-1-code van twee letters.",
        "Geben Sie das Land als zweistelligen ISO-3166-1-Code an.",
        "Give the country as an ISO 3166-1 two-letter code.",
    ),
    "date.partial_format": _t(
        "Indiquez la date sous la forme AAAA, AAAA-MM ou AAAA-MM-JJ.",
        "Geef de datum op als JJJJ, JJJJ-MM of JJJJ-MM-DD.",
        "Geben Sie das Datum als JJJJ, JJJJ-MM oder JJJJ-MM-TT an.",
        "Give the date as YYYY, YYYY-MM or YYYY-MM-DD.",
    ),
    "date.format": _t(
        "Indiquez la date sous la forme AAAA-MM-JJ.",
        "Geef de datum op als JJJJ-MM-DD.",
        "Geben Sie das Datum als JJJJ-MM-TT an.",
        "Give the date as YYYY-MM-DD.",
    ),
    "date.in_future": _t(
        "Cette date est dans le futur.",
        "Deze datum ligt in de toekomst.",
        "Dieses Datum liegt in der Zukunft.",
        "This date is in the future.",
    ),
    "date.too_old": _t(
        "Cette date est antérieure à {year}.",
        "Deze datum ligt vóór {year}.",
        "Dieses Datum liegt vor {year}.",
        "This date is before {year}.",
    ),
    "document.expired": _t(
        "Ce document est expiré ; utilisez un document valable.",
        "Dit document is vervallen; gebruik een geldig document.",
        "Dieses Dokument ist abgelaufen; verwenden Sie ein gültiges Dokument.",
        "This document has expired; use a valid document.",
    ),
    "document.number_format": _t(
        "Indiquez 4 à 20 lettres ou chiffres, comme sur le document.",
        "Geef 4 tot 20 letters of cijfers op, zoals op het document.",
        "Geben Sie 4 bis 20 Buchstaben oder Ziffern an, wie auf dem Dokument.",
        "Give 4 to 20 letters or digits, as on the document.",
    ),
    "postal_code.format": _t(
        "Indiquez 2 à 10 lettres, chiffres, espaces ou traits d'union.",
        "Geef 2 tot 10 letters, cijfers, spaties of koppeltekens op.",
        "Geben Sie 2 bis 10 Buchstaben, Ziffern, Leerzeichen oder Bindestriche an.",
        "Give 2 to 10 letters, digits, spaces or hyphens.",
    ),
    "postal_code.belgian": _t(
        "Un code postal belge compte 4 chiffres, de 1000 à 9999.",
        "Een Belgische postcode telt 4 cijfers, van 1000 tot 9999.",
        "Eine belgische Postleitzahl hat 4 Ziffern, von 1000 bis 9999.",
        "A Belgian postal code has 4 digits, from 1000 to 9999.",
    ),
    "address.contact_not_belgian": _t(
        "L'adresse de contact doit se trouver en Belgique.",
        "Het contactadres moet in België liggen.",
        "Die Kontaktadresse muss in Belgien liegen.",
        "The contact address must be in Belgium.",
    ),
    "address.contact_only_when_abroad": _t(
        "Une adresse de contact n'est donnée que si la résidence est à l'étranger.",
        "Een contactadres wordt enkel opgegeven als de verblijfplaats in het buitenland is.",
        "Eine Kontaktadresse wird nur angegeben, wenn der Wohnsitz im Ausland liegt.",
        "A contact address is only given when the residence is abroad.",
    ),
    "ssin.checksum": _t(
        "Les chiffres de contrôle de ce numéro sont erronés.",
        "De controlecijfers van dit nummer zijn fout.",
        "Die Prüfziffern dieser Nummer sind falsch.",
        "The check digits of this number are wrong.",
    ),
    "ssin.length": _t(
        "Un NISS compte 11 chiffres.",
        "Een INSZ telt 11 cijfers.",
        "Eine INSZ/NISS hat 11 Ziffern.",
        "An INSZ/NISS has 11 digits.",
    ),
    "ssin.birth_date": _t(
        "La date de naissance contenue dans ce numéro est impossible.",
        "De geboortedatum in dit nummer is onmogelijk.",
        "Das Geburtsdatum in dieser Nummer ist unmöglich.",
        "The birth date in this number is not possible.",
    ),
    "ssin.format": _t(
        "Un NISS compte 11 chiffres (points et tirets admis).",
        "Een INSZ telt 11 cijfers (punten en streepjes toegelaten).",
        "Eine INSZ/NISS hat 11 Ziffern (Punkte und Striche erlaubt).",
        "An INSZ/NISS has 11 digits (dots and dashes allowed).",
    ),
    "email.invalid": _t(
        "Cette adresse e-mail n'est pas valable.",
        "Dit e-mailadres is niet geldig.",
        "Diese E-Mail-Adresse ist ungültig.",
        "This is not a valid e-mail address.",
    ),
    "mid.not_met": _t(
        "Les données minimales d'identification ne sont pas réunies. Il manque encore : {missing}.",
        "De minimale identificatiegegevens zijn niet volledig. Er ontbreekt nog: {missing}.",
        "Die Mindestangaben zur Identifizierung fehlen. Es fehlt noch: {missing}.",
        "The minimum identification data are not met. Still needed: {missing}.",
    ),
    "draft.incomplete": _t(
        "Le brouillon n'est pas complet : terminez les étapes indiquées.",
        "Het ontwerp is niet volledig: vul de aangeduide stappen aan.",
        "Der Entwurf ist unvollständig: ergänzen Sie die angegebenen Schritte.",
        "The draft is not complete: finish the steps listed.",
    ),
    "draft.possible_duplicate": _t(
        "Vous avez déjà une demande en cours ou traitée pour une personne du même nom et de la même date de naissance.",
        "U hebt al een lopende of beantwoorde aanvraag voor een persoon met dezelfde naam en geboortedatum.",
        "Sie haben bereits einen laufenden oder beantworteten Antrag für eine Person mit gleichem Namen und Geburtsdatum.",
        "You already have an open or answered request for a person with the same name and birth date.",
    ),
    "draft.not_found": _t(
        "Ce brouillon n'existe pas.",
        "Dit ontwerp bestaat niet.",
        "Dieser Entwurf existiert nicht.",
        "No such draft.",
    ),
    "draft.already_submitted": _t(
        "Ce brouillon a déjà été introduit.",
        "Dit ontwerp is al ingediend.",
        "Dieser Entwurf wurde bereits eingereicht.",
        "This draft has already been submitted.",
    ),
    "pages.order_mismatch": _t(
        "Donnez chaque page du brouillon exactement une fois.",
        "Geef elke pagina van het ontwerp precies één keer op.",
        "Geben Sie jede Seite des Entwurfs genau einmal an.",
        "List every page of the draft exactly once.",
    ),
    "request.not_found": _t(
        "Cette demande n'existe pas.",
        "Deze aanvraag bestaat niet.",
        "Dieser Antrag existiert nicht.",
        "No such request.",
    ),
    "request.not_cancellable": _t(
        "Une demande clôturée ne peut plus être annulée.",
        "Een afgesloten aanvraag kan niet meer geannuleerd worden.",
        "Ein abgeschlossener Antrag kann nicht mehr storniert werden.",
        "A final request cannot be cancelled.",
    ),
    "request.not_awaiting_information": _t(
        "Aucune information n'est demandée pour cette demande.",
        "Voor deze aanvraag worden geen gegevens gevraagd.",
        "Für diesen Antrag werden keine Angaben angefordert.",
        "No information is requested for this request.",
    ),
    "idempotency.key_reused": _t(
        "Cette clé d'idempotence a servi pour une autre demande.",
        "Deze idempotentiesleutel werd voor een andere aanvraag gebruikt.",
        "Dieser Idempotenzschlüssel wurde für einen anderen Antrag verwendet.",
        "This Idempotency-Key was used for a different request.",
    ),
    "document.not_found": _t(
        "Ce document n'existe pas.",
        "Dit document bestaat niet.",
        "Dieses Dokument existiert nicht.",
        "No such document.",
    ),
    "document.purged": _t(
        "Ce scan a été supprimé à la fin de son délai de conservation.",
        "Deze scan werd gewist na afloop van de bewaartermijn.",
        "Dieser Scan wurde nach Ablauf der Aufbewahrungsfrist gelöscht.",
        "This scan was deleted when its retention period ended.",
    ),
}

# Refused kinds of employment read as contracts labels the refusal: the reason and where to go.
_ELIGIBILITY = {
    f"eligibility.{reason}": LABELS["reject_reason"][reason] for reason in REFUSED.values()
}

# The items of the minimum-data rule read as contracts labels them, as in e-mails and timelines.
_MID_ITEMS = {f"mid.item.{item}": LABELS["missing"][item] for item in MINIMUM_DATA_ITEMS}

MESSAGES: dict[str, dict[str, str]] = {
    **DOCUMENT_MESSAGES,
    **_WIZARD,
    **_MID_ITEMS,
    **_ELIGIBILITY,
    **BATCH_MESSAGES,
}


class _Lenient(Formatter):
    """Leaves a placeholder as it is when its parameter is missing."""

    def get_value(self, key: Any, args: Any, kwargs: dict[str, Any]) -> Any:
        return (
            kwargs.get(key, f"{{{key}}}")
            if isinstance(key, str)
            else super().get_value(key, args, kwargs)
        )


def text(code: str, language: str, **params: Any) -> str:
    """The text of `code` in `language` (English if unknown); an unknown code reads as invalid."""
    texts = MESSAGES.get(code) or MESSAGES["validation.invalid"]
    return _Lenient().format(texts.get(language, texts["en"]), **params)
