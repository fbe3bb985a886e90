"""The words for every code of contracts.codes, in fr, nl, de and en: one source for all readers.

`label(group, code, language)` is what pages, e-mails, timelines and the PDF show. A code this
file does not know yet (a newer producer) reads as the group's neutral fallback, never as the
raw code: an employer never sees `full_birth_date`.
"""

# Whole phrases on one line each, so a translator can compare them.
# ruff: noqa: E501

from __future__ import annotations

from contracts.codes import LANGUAGES


def _t(fr: str, nl: str, de: str, en: str) -> dict[str, str]:
    return {"fr": fr, "nl": nl, "de": de, "en": en}


# What an employer is asked to add or correct: noun phrases, to be listed.
_MISSING = {
    "name": _t("nom", "naam", "Name", "name"),
    "birth_date": _t(
        "date de naissance (même partielle)",
        "geboortedatum (ook onvolledig)",
        "Geburtsdatum (auch unvollständig)",
        "date of birth (partial is fine)",
    ),
    "full_birth_date": _t(
        "date de naissance complète (jour, mois et année)",
        "volledige geboortedatum (dag, maand en jaar)",
        "vollständiges Geburtsdatum (Tag, Monat und Jahr)",
        "full date of birth (day, month and year)",
    ),
    "birth_place": _t("lieu de naissance", "geboorteplaats", "Geburtsort", "place of birth"),
    "sex": _t("sexe", "geslacht", "Geschlecht", "sex"),
    "foreign_residence": _t(
        "adresse de la résidence principale à l'étranger",
        "adres van de hoofdverblijfplaats in het buitenland",
        "Anschrift des Hauptwohnsitzes im Ausland",
        "address of the main residence abroad",
    ),
    "belgian_contact_address": _t(
        "adresse de contact en Belgique",
        "contactadres in België",
        "Kontaktadresse in Belgien",
        "contact address in Belgium",
    ),
    "surnames": _t("nom(s) de famille", "familienaam", "Familienname(n)", "surname(s)"),
    "given_names": _t("prénom(s)", "voornaam of voornamen", "Vorname(n)", "given name(s)"),
    "birth_country": _t("pays de naissance", "geboorteland", "Geburtsland", "country of birth"),
    "nationality": _t("nationalité", "nationaliteit", "Staatsangehörigkeit", "nationality"),
    "document": _t(
        "données du document d'identité (type, numéro, pays de délivrance, date d'expiration)",
        "gegevens van het identiteitsdocument (soort, nummer, land van afgifte, vervaldatum)",
        "Angaben zum Ausweisdokument (Art, Nummer, Ausstellungsstaat, Ablaufdatum)",
        "identity document details (type, number, issuing country, expiry date)",
    ),
    "document_number": _t(
        "numéro du document d'identité",
        "nummer van het identiteitsdocument",
        "Nummer des Ausweisdokuments",
        "number of the identity document",
    ),
    "documents": _t(
        "scan lisible du document d'identité",
        "leesbare scan van het identiteitsdocument",
        "lesbarer Scan des Ausweisdokuments",
        "readable scan of the identity document",
    ),
    "residence": _t(
        "adresse de la résidence officielle",
        "adres van de officiële verblijfplaats",
        "Anschrift des offiziellen Wohnsitzes",
        "official residence address",
    ),
    "contact_address": _t(
        "adresse de contact en Belgique",
        "contactadres in België",
        "Kontaktadresse in Belgien",
        "contact address in Belgium",
    ),
}

_FIELD = {
    "surnames": _t("Nom(s)", "Familienaam", "Familienname(n)", "Surname(s)"),
    "given_names": _t("Prénom(s)", "Voornamen", "Vorname(n)", "Given names"),
    "sex": _t("Sexe", "Geslacht", "Geschlecht", "Sex"),
    "birth_date": _t("Date de naissance", "Geboortedatum", "Geburtsdatum", "Date of birth"),
    "birth_place": _t("Lieu de naissance", "Geboorteplaats", "Geburtsort", "Place of birth"),
    "birth_country": _t("Pays de naissance", "Geboorteland", "Geburtsland", "Country of birth"),
    "nationality": _t("Nationalité", "Nationaliteit", "Staatsangehörigkeit", "Nationality"),
}

_STATUS = {
    "submitted": _t("Envoyée", "Verzonden", "Gesendet", "Submitted"),
    "under_review": _t("En recherche", "In onderzoek", "In Prüfung", "Under research"),
    "information_requested": _t(
        "Informations demandées",
        "Gegevens gevraagd",
        "Angaben angefordert",
        "Information requested",
    ),
    "number_assigned": _t(
        "Numéro attribué", "Nummer toegekend", "Nummer zugeteilt", "Number assigned"
    ),
    "rejected": _t("Refusée", "Geweigerd", "Abgelehnt", "Rejected"),
    "cancelled": _t("Annulée", "Geannuleerd", "Storniert", "Cancelled"),
    "expired": _t("Expirée", "Vervallen", "Abgelaufen", "Expired"),
}

# Which outcome it is, as the employer reads it.
_NUMBER_KIND = {
    "national_register": _t(
        "Personne connue : numéro du Registre national",
        "Gekende persoon: rijksregisternummer",
        "Bekannte Person: Nationalregisternummer",
        "Known person: National Register number",
    ),
    "existing_bis": _t(
        "Personne connue : numéro BIS existant",
        "Gekende persoon: bestaand BIS-nummer",
        "Bekannte Person: bestehende BIS-Nummer",
        "Known person: existing BIS number",
    ),
    "new_bis": _t(
        "Nouveau numéro BIS créé",
        "Nieuw BIS-nummer aangemaakt",
        "Neue BIS-Nummer erstellt",
        "New BIS number created",
    ),
}

# Why a case is in the queue, in the agent's words.
_REVIEW_REASON = {
    "ambiguous_candidates": _t(
        "Plusieurs candidats sont proches",
        "Meerdere kandidaten liggen dicht bij elkaar",
        "Mehrere Kandidaten liegen nah beieinander",
        "Several candidates are close",
    ),
    "conflicting_evidence": _t(
        "Le meilleur candidat diffère sur une donnée clé",
        "De beste kandidaat verschilt op een sleutelgegeven",
        "Der beste Kandidat weicht bei einer Schlüsselangabe ab",
        "The best candidate disagrees on a key field",
    ),
    "uncertain_match": _t(
        "Un candidat est probable mais pas certain",
        "Een kandidaat is waarschijnlijk maar niet zeker",
        "Ein Kandidat ist wahrscheinlich, aber nicht sicher",
        "A candidate is likely but not certain",
    ),
    "claimed_ssin_differs": _t(
        "Le numéro indiqué désigne une autre personne",
        "Het opgegeven nummer wijst naar een andere persoon",
        "Die angegebene Nummer gehört zu einer anderen Person",
        "The number given points to another person",
    ),
    "claimed_ssin_not_confirmed": _t(
        "Le numéro indiqué n'a pas pu être confirmé",
        "Het opgegeven nummer kon niet bevestigd worden",
        "Die angegebene Nummer konnte nicht bestätigt werden",
        "The number given could not be confirmed",
    ),
    "claimed_ssin_unknown": _t(
        "Le numéro indiqué ne figure pas au registre",
        "Het opgegeven nummer staat niet in het register",
        "Die angegebene Nummer ist nicht im Register",
        "The number given is not in the registry",
    ),
    "document_doubt": _t(
        "Le document soulève un doute",
        "Het document roept twijfel op",
        "Das Dokument wirft Zweifel auf",
        "The document raises a doubt",
    ),
    "under_working_age": _t(
        "Le travailleur n'a peut-être pas l'âge légal pour travailler",
        "De werknemer heeft mogelijk de wettelijke leeftijd om te werken niet",
        "Die Arbeitskraft hat möglicherweise das gesetzliche Arbeitsalter nicht erreicht",
        "The worker may be under the legal working age",
    ),
    "national_register_not_found": _t(
        "Belge ou résidant en Belgique, absent du Registre national : pas de numéro BIS automatique",
        "Belg of verblijvend in België, niet gevonden in het Rijksregister: geen automatisch BIS-nummer",
        "Belgier oder in Belgien wohnhaft, nicht im Nationalregister gefunden: keine automatische BIS-Nummer",
        "Belgian or living in Belgium, not found in the National Register: no automatic BIS number",
    ),
}

# Why a request went to research, in words the employer can act on.
_REVIEW_REASON_EMPLOYER = {
    "ambiguous_candidates": _t(
        "Plusieurs personnes déjà enregistrées ressemblent à ce travailleur : un agent vérifie de qui il s'agit. Vous n'avez rien à faire.",
        "Meerdere reeds geregistreerde personen lijken op deze werknemer: een medewerker gaat na wie het is. U hoeft niets te doen.",
        "Mehrere bereits registrierte Personen ähneln dieser Arbeitskraft: Ein Sachbearbeiter prüft, wer es ist. Sie müssen nichts tun.",
        "Several people already registered resemble this worker: an agent checks which one it is. You need not do anything.",
    ),
    "conflicting_evidence": _t(
        "Une personne enregistrée ressemble à ce travailleur, mais certaines données diffèrent (par exemple la date de naissance ou les prénoms) : un agent les compare au document. Vous n'avez rien à faire.",
        "Een geregistreerde persoon lijkt op deze werknemer, maar sommige gegevens verschillen (bijvoorbeeld de geboortedatum of de voornamen): een medewerker vergelijkt ze met het document. U hoeft niets te doen.",
        "Eine registrierte Person ähnelt dieser Arbeitskraft, aber einige Angaben weichen ab (zum Beispiel das Geburtsdatum oder die Vornamen): Ein Sachbearbeiter vergleicht sie mit dem Dokument. Sie müssen nichts tun.",
        "A registered person resembles this worker, but some data differ (for example the date of birth or the given names): an agent compares them with the document. You need not do anything.",
    ),
    "uncertain_match": _t(
        "Ce travailleur est probablement déjà enregistré : un agent le confirme avant de vous donner son numéro. Vous n'avez rien à faire.",
        "Deze werknemer is waarschijnlijk al geregistreerd: een medewerker bevestigt dit voor hij u het nummer geeft. U hoeft niets te doen.",
        "Diese Arbeitskraft ist wahrscheinlich bereits registriert: Ein Sachbearbeiter bestätigt dies, bevor Sie die Nummer erhalten. Sie müssen nichts tun.",
        "This worker is probably registered already: an agent confirms it before giving you the number. You need not do anything.",
    ),
    "claimed_ssin_differs": _t(
        "Le numéro INSZ/NISS que vous avez indiqué n'est pas celui que le registre donne à la personne décrite : un agent vérifie. Contrôlez ce numéro si vous le pouvez.",
        "Het INSZ dat u opgaf, is niet het nummer dat het register aan de beschreven persoon geeft: een medewerker gaat het na. Controleer dit nummer als u kunt.",
        "Die von Ihnen angegebene INSZ/NISS ist nicht die Nummer, die das Register der beschriebenen Person zuordnet: Ein Sachbearbeiter prüft dies. Kontrollieren Sie die Nummer, wenn Sie können.",
        "The INSZ/NISS you gave is not the number the registry holds for the person described: an agent checks. Check that number if you can.",
    ),
    "claimed_ssin_not_confirmed": _t(
        "Les données de la demande ne confirment pas le numéro INSZ/NISS que vous avez indiqué : un agent vérifie.",
        "De gegevens van de aanvraag bevestigen het INSZ dat u opgaf niet: een medewerker gaat het na.",
        "Die Angaben des Antrags bestätigen die von Ihnen angegebene INSZ/NISS nicht: Ein Sachbearbeiter prüft dies.",
        "The data of the request do not confirm the INSZ/NISS you gave: an agent checks.",
    ),
    "claimed_ssin_unknown": _t(
        "Le numéro INSZ/NISS que vous avez indiqué n'est pas connu : un agent vérifie. Contrôlez ce numéro si vous le pouvez.",
        "Het INSZ dat u opgaf, is niet gekend: een medewerker gaat het na. Controleer dit nummer als u kunt.",
        "Die von Ihnen angegebene INSZ/NISS ist nicht bekannt: Ein Sachbearbeiter prüft dies. Kontrollieren Sie die Nummer, wenn Sie können.",
        "The INSZ/NISS you gave is not known: an agent checks. Check that number if you can.",
    ),
    "document_doubt": _t(
        "Le document d'identité doit être examiné par un agent.",
        "Het identiteitsdocument moet door een medewerker bekeken worden.",
        "Das Ausweisdokument muss von einem Sachbearbeiter geprüft werden.",
        "The identity document must be examined by an agent.",
    ),
    "under_working_age": _t(
        "D'après sa date de naissance, ce travailleur n'a peut-être pas encore l'âge légal pour travailler (15 ans et la fin de l'obligation scolaire à temps plein) : un agent vérifie.",
        "Volgens de geboortedatum heeft deze werknemer mogelijk nog niet de wettelijke leeftijd om te werken (15 jaar en het einde van de voltijdse leerplicht): een medewerker gaat het na.",
        "Nach dem Geburtsdatum hat diese Arbeitskraft möglicherweise das gesetzliche Arbeitsalter noch nicht erreicht (15 Jahre und das Ende der Vollzeitschulpflicht): Ein Sachbearbeiter prüft dies.",
        "From the date of birth, this worker may not yet be of the legal working age (15 and the end of full-time compulsory schooling): an agent checks.",
    ),
    "national_register_not_found": _t(
        "Ce travailleur a la nationalité belge ou sa résidence principale en Belgique : il a, ou recevra, un numéro du Registre national, jamais un numéro BIS automatiquement. Un agent le recherche au Registre national.",
        "Deze werknemer heeft de Belgische nationaliteit of zijn hoofdverblijfplaats in België: hij heeft of krijgt een rijksregisternummer, nooit automatisch een BIS-nummer. Een medewerker zoekt hem op in het Rijksregister.",
        "Diese Arbeitskraft hat die belgische Staatsangehörigkeit oder ihren Hauptwohnsitz in Belgien: Sie hat oder erhält eine Nationalregisternummer, nie automatisch eine BIS-Nummer. Ein Sachbearbeiter sucht sie im Nationalregister.",
        "This worker has Belgian nationality or main residence in Belgium: they have, or will get, a National Register number, never a BIS number automatically. An agent looks them up in the National Register.",
    ),
}

# Why a request was refused, and where to go instead: the employer reads these.
_REJECT_REASON = {
    "job_student": _t(
        "Les étudiants jobistes étrangers n'obtiennent pas de numéro par ce service : vous pouvez les déclarer dans la Dimona sans ce numéro.",
        "Buitenlandse jobstudenten krijgen via deze dienst geen nummer: u kunt hen zonder dit nummer in de Dimona aangeven.",
        "Ausländische Werkstudenten erhalten über diesen Dienst keine Nummer: Sie können sie ohne diese Nummer in der Dimona melden.",
        "Foreign job students do not get a number through this service: you may declare them in Dimona without it.",
    ),
    "occasional_agriculture_worker": _t(
        "Les travailleurs occasionnels de l'agriculture et de l'horticulture n'obtiennent pas de numéro par ce service : adressez-vous à la commune.",
        "Gelegenheidswerknemers in de land- en tuinbouw krijgen via deze dienst geen nummer: wend u tot de gemeente.",
        "Gelegenheitsarbeitskräfte in Land- und Gartenbau erhalten über diesen Dienst keine Nummer: Wenden Sie sich an die Gemeinde.",
        "Occasional workers in agriculture and horticulture do not get a number through this service: contact the municipality.",
    ),
    "national_register_person": _t(
        "Ce travailleur a, ou recevra, un numéro du Registre national (nationalité belge ou résidence principale en Belgique) : adressez-vous à sa commune de résidence.",
        "Deze werknemer heeft of krijgt een rijksregisternummer (Belgische nationaliteit of hoofdverblijfplaats in België): wend u tot zijn woonplaatsgemeente.",
        "Diese Arbeitskraft hat oder erhält eine Nationalregisternummer (belgische Staatsangehörigkeit oder Hauptwohnsitz in Belgien): Wenden Sie sich an ihre Wohnsitzgemeinde.",
        "This worker has, or will get, a National Register number (Belgian nationality or main residence in Belgium): contact the municipality where they live.",
    ),
    "document_not_valid": _t(
        "Le document d'identité n'est pas valable ou pas lisible : introduisez une nouvelle demande avec un document valable.",
        "Het identiteitsdocument is niet geldig of niet leesbaar: dien een nieuwe aanvraag in met een geldig document.",
        "Das Ausweisdokument ist ungültig oder unleserlich: Stellen Sie einen neuen Antrag mit einem gültigen Dokument.",
        "The identity document is not valid or not readable: submit a new request with a valid document.",
    ),
    "person_not_identifiable": _t(
        "Les données et le document ne permettent pas d'identifier la personne avec certitude.",
        "Met de gegevens en het document kan de persoon niet met zekerheid geïdentificeerd worden.",
        "Mit den Angaben und dem Dokument lässt sich die Person nicht sicher identifizieren.",
        "The data and the document do not identify the person with certainty.",
    ),
    "duplicate_request": _t(
        "Une autre demande pour la même personne est déjà en cours ou traitée.",
        "Er loopt al een andere aanvraag voor dezelfde persoon, of die is al behandeld.",
        "Ein anderer Antrag für dieselbe Person läuft bereits oder wurde schon bearbeitet.",
        "Another request for the same person is already open or answered.",
    ),
    "agent_rejected": _t(
        "La demande ne peut pas être acceptée.",
        "De aanvraag kan niet aanvaard worden.",
        "Der Antrag kann nicht angenommen werden.",
        "The request cannot be accepted.",
    ),
}

_NOTIFICATION_KIND = {
    "request_received": _t(
        "demande reçue", "aanvraag ontvangen", "Antrag eingegangen", "request received"
    ),
    "number_assigned": _t(
        "numéro attribué", "nummer toegekend", "Nummer zugeteilt", "number assigned"
    ),
    "under_review": _t(
        "recherche en cours", "onderzoek loopt", "Prüfung läuft", "research under way"
    ),
    "information_requested": _t(
        "informations demandées",
        "gegevens gevraagd",
        "Angaben angefordert",
        "information requested",
    ),
    "information_received": _t(
        "réponse reçue", "antwoord ontvangen", "Antwort eingegangen", "answer received"
    ),
    "rejected": _t("demande refusée", "aanvraag geweigerd", "Antrag abgelehnt", "request rejected"),
    "cancelled": _t(
        "annulation confirmée",
        "annulering bevestigd",
        "Stornierung bestätigt",
        "cancellation confirmed",
    ),
    "information_reminder": _t(
        "rappel : informations demandées",
        "herinnering: gegevens gevraagd",
        "Erinnerung: Angaben angefordert",
        "reminder: information requested",
    ),
    "expired": _t("demande expirée", "aanvraag vervallen", "Antrag abgelaufen", "request expired"),
}

# The kind of employment, as the form asks it.
_EMPLOYMENT = {
    "employee": _t(
        "Un emploi salarié ordinaire",
        "Een gewone tewerkstelling als werknemer",
        "Eine gewöhnliche Beschäftigung als Arbeitnehmer",
        "An ordinary employment as an employee",
    ),
    "job_student": _t(
        "Un job d'étudiant",
        "Een studentenjob",
        "Ein Studentenjob",
        "A student job",
    ),
    "occasional_agriculture": _t(
        "Un travail occasionnel dans l'agriculture ou l'horticulture",
        "Gelegenheidsarbeid in de land- of tuinbouw",
        "Eine Gelegenheitsarbeit in Land- oder Gartenbau",
        "Occasional work in agriculture or horticulture",
    ),
}

_SEX = {
    "male": _t("Masculin", "Mannelijk", "Männlich", "Male"),
    "female": _t("Féminin", "Vrouwelijk", "Weiblich", "Female"),
    "unknown": _t("Inconnu", "Onbekend", "Unbekannt", "Unknown"),
}

_DOCUMENT_TYPE = {
    "passport": _t("Passeport", "Paspoort", "Reisepass", "Passport"),
    "identity_card": _t(
        "Carte d'identité nationale",
        "Nationale identiteitskaart",
        "Nationaler Personalausweis",
        "National identity card",
    ),
    "driving_licence": _t("Permis de conduire", "Rijbewijs", "Führerschein", "Driving licence"),
}

# An agent's decision on a case (and matching's own closings), as the back office shows it.
_RESOLUTION = {
    "same_person": _t(
        "Même personne que ce candidat",
        "Zelfde persoon als deze kandidaat",
        "Dieselbe Person wie dieser Kandidat",
        "Same person as this candidate",
    ),
    "new_person": _t(
        "Nouvelle personne : attribuer un numéro BIS",
        "Nieuwe persoon: een BIS-nummer toekennen",
        "Neue Person: eine BIS-Nummer zuteilen",
        "New person: allocate a BIS number",
    ),
    "request_information": _t(
        "Demander des informations à l'employeur",
        "De werkgever om gegevens vragen",
        "Den Arbeitgeber um Angaben bitten",
        "Ask the employer for information",
    ),
    "reject": _t(
        "Refuser la demande", "De aanvraag weigeren", "Den Antrag ablehnen", "Reject the request"
    ),
    "superseded": _t(
        "Remplacé par la réponse de l'employeur",
        "Vervangen door het antwoord van de werkgever",
        "Durch die Antwort des Arbeitgebers ersetzt",
        "Superseded by the employer's answer",
    ),
    "cancelled": _t(
        "Demande annulée par l'employeur",
        "Aanvraag geannuleerd door de werkgever",
        "Antrag vom Arbeitgeber storniert",
        "Request cancelled by the employer",
    ),
}

# How a field of the request agrees with a candidate's (matching's agreement levels).
_AGREEMENT = {
    "exact": _t("identique", "identiek", "identisch", "identical"),
    "equivalent": _t(
        "équivalent (autre graphie)",
        "gelijkwaardig (andere spelling)",
        "gleichwertig (andere Schreibweise)",
        "equivalent (other spelling)",
    ),
    "subset": _t(
        "en partie (un nom en moins)",
        "gedeeltelijk (een naam minder)",
        "teilweise (ein Name weniger)",
        "in part (one name fewer)",
    ),
    "first_of_several": _t(
        "le premier des prénoms",
        "de eerste van de voornamen",
        "der erste der Vornamen",
        "the first of several given names",
    ),
    "one_of_several": _t(
        "un seul des prénoms",
        "slechts één van de voornamen",
        "nur einer der Vornamen",
        "one of several given names",
    ),
    "similar": _t(
        "semblable (faute de frappe possible)",
        "gelijkaardig (mogelijke tikfout)",
        "ähnlich (möglicher Tippfehler)",
        "similar (possible typo)",
    ),
    "typo": _t(
        "faute de frappe probable",
        "waarschijnlijk een tikfout",
        "wahrscheinlich ein Tippfehler",
        "probably a typo",
    ),
    "fuzzy": _t(
        "proche (deux fautes possibles)",
        "dichtbij (mogelijk twee tikfouten)",
        "nahe (möglicherweise zwei Tippfehler)",
        "close (possibly two typos)",
    ),
    "month_compatible": _t(
        "compatible jusqu'au mois",
        "verenigbaar tot op de maand",
        "bis zum Monat vereinbar",
        "compatible to the month",
    ),
    "year_off_by_one": _t(
        "une année d'écart",
        "één jaar verschil",
        "ein Jahr Unterschied",
        "one year apart",
    ),
    "same_street": _t(
        "même rue, autre numéro",
        "zelfde straat, ander nummer",
        "gleiche Straße, andere Nummer",
        "same street, other number",
    ),
    "same_area": _t(
        "même code postal ou commune",
        "zelfde postcode of gemeente",
        "gleiche Postleitzahl oder Gemeinde",
        "same postal code or town",
    ),
    "swapped": _t(
        "nom et prénom inversés",
        "naam en voornaam omgewisseld",
        "Name und Vorname vertauscht",
        "surname and given name swapped",
    ),
    "partial_compatible": _t(
        "compatible (date partielle)",
        "verenigbaar (onvolledige datum)",
        "vereinbar (unvollständiges Datum)",
        "compatible (partial date)",
    ),
    "day_month_swapped": _t(
        "jour et mois inversés",
        "dag en maand omgewisseld",
        "Tag und Monat vertauscht",
        "day and month swapped",
    ),
    "one_digit_off": _t(
        "un chiffre diffère", "één cijfer verschilt", "eine Ziffer weicht ab", "one digit differs"
    ),
    "year_only": _t(
        "seule l'année concorde",
        "enkel het jaar komt overeen",
        "nur das Jahr stimmt überein",
        "only the year agrees",
    ),
    "different_number": _t(
        "autre numéro de document",
        "ander documentnummer",
        "andere Dokumentnummer",
        "other document number",
    ),
    "disagree": _t("différent", "verschillend", "abweichend", "different"),
    "missing": _t(
        "absent d'un côté", "ontbreekt aan één kant", "fehlt auf einer Seite", "missing on one side"
    ),
}

LABELS: dict[str, dict[str, dict[str, str]]] = {
    "missing": _MISSING,
    "field": _FIELD,
    "status": _STATUS,
    "number_kind": _NUMBER_KIND,
    "review_reason": _REVIEW_REASON,
    "review_reason_employer": _REVIEW_REASON_EMPLOYER,
    "reject_reason": _REJECT_REASON,
    "notification_kind": _NOTIFICATION_KIND,
    "employment": _EMPLOYMENT,
    "sex": _SEX,
    "document_type": _DOCUMENT_TYPE,
    "resolution": _RESOLUTION,
    "agreement": _AGREEMENT,
}

# What a code this version does not know yet reads as, per group.
_FALLBACK = {
    "missing": _t(
        "autres données (voir le message)",
        "andere gegevens (zie het bericht)",
        "weitere Angaben (siehe Nachricht)",
        "other data (see the message)",
    ),
    "field": _t("Autre donnée", "Ander gegeven", "Andere Angabe", "Other data"),
    "status": _t("En cours", "In behandeling", "In Bearbeitung", "In progress"),
    "number_kind": _t("Numéro attribué", "Nummer toegekend", "Nummer zugeteilt", "Number assigned"),
    "review_reason": _t("Autre raison", "Andere reden", "Anderer Grund", "Other reason"),
    "review_reason_employer": _t(
        "Un agent examine la demande. Vous n'avez rien à faire.",
        "Een medewerker onderzoekt de aanvraag. U hoeft niets te doen.",
        "Ein Sachbearbeiter prüft den Antrag. Sie müssen nichts tun.",
        "An agent is researching the request. You need not do anything.",
    ),
    "reject_reason": _REJECT_REASON["agent_rejected"],
    "notification_kind": _t("e-mail", "e-mail", "E-Mail", "e-mail"),
    "employment": _EMPLOYMENT["employee"],
    "sex": _SEX["unknown"],
    "document_type": _t(
        "Document d'identité", "Identiteitsdocument", "Ausweisdokument", "Identity document"
    ),
    "resolution": _t("Clôturé", "Afgesloten", "Abgeschlossen", "Closed"),
    "agreement": _t("non comparé", "niet vergeleken", "nicht verglichen", "not compared"),
}


def label(group: str, code: str | None, language: str) -> str:
    """The words for `code` of `group` in `language` (English for an unsupported language)."""
    lang = language if language in LANGUAGES else "en"
    texts = LABELS[group].get(code or "") or _FALLBACK[group]
    return texts[lang]


def labels(group: str, codes, language: str) -> list[str]:
    """The words for several codes, each once, in the order given."""
    seen: dict[str, None] = {}
    for code in codes or ():
        seen.setdefault(label(group, code, language), None)
    return list(seen)


def in_sentence(text: str, language: str) -> str:
    """A label inside running text: a lower-case first letter, except German nouns."""
    return text if language == "de" or not text else text[0].lower() + text[1:]


def fallback(group: str, language: str) -> str:
    """What an unknown code of `group` reads as."""
    return _FALLBACK[group][language if language in LANGUAGES else "en"]
