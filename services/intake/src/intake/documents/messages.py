"""What the employer reads when a document is refused: what is wrong and what to do."""

# Whole sentences on one line, so a translator can find and compare them.
# ruff: noqa: E501

from __future__ import annotations

from typing import Any

_FALLBACK = "en"

MESSAGES: dict[str, dict[str, str]] = {
    "document.unsupported_type": {
        "fr": "Ce type de fichier n'est pas accepté. Envoyez le scan au format JPEG, PNG ou PDF.",
        "nl": "Dit bestandstype wordt niet aanvaard. Bezorg de scan als JPEG-, PNG- of PDF-bestand.",
        "de": "Dieser Dateityp wird nicht angenommen. Laden Sie den Scan als JPEG-, PNG- oder PDF-Datei hoch.",
        "en": "This file type is not accepted. Upload the scan as a JPEG, PNG or PDF file.",
    },
    "document.too_large": {
        "fr": "Le fichier dépasse {max_mb} Mo. Scannez la page à 300 dpi ou enregistrez la photo dans une taille plus petite, puis envoyez-la à nouveau.",
        "nl": "Het bestand is groter dan {max_mb} MB. Scan de pagina op 300 dpi of bewaar de foto in een kleiner formaat en laad ze opnieuw op.",
        "de": "Die Datei ist größer als {max_mb} MB. Scannen Sie die Seite mit 300 dpi oder speichern Sie das Foto kleiner und laden Sie es erneut hoch.",
        "en": "The file is larger than {max_mb} MB. Scan the page at 300 dpi or save the photo in a smaller size, then upload it again.",
    },
    "document.too_many_pixels": {
        "fr": "L'image est trop grande ({max_megapixels} mégapixels au maximum). Scannez la page à 300 dpi ou prenez la photo à la résolution standard de l'appareil, puis envoyez-la à nouveau.",
        "nl": "De afbeelding is te groot (maximaal {max_megapixels} megapixels). Scan de pagina op 300 dpi of neem de foto met de standaardresolutie van het toestel en laad ze opnieuw op.",
        "de": "Das Bild ist zu groß (höchstens {max_megapixels} Megapixel). Scannen Sie die Seite mit 300 dpi oder fotografieren Sie mit der Standardauflösung der Kamera und laden Sie es erneut hoch.",
        "en": "The image is too large ({max_megapixels} megapixels at most). Scan the page at 300 dpi or take the photo at the camera's standard resolution, then upload it again.",
    },
    "document.pdf_encrypted": {
        "fr": "Le PDF est protégé par un mot de passe ou des restrictions. Enregistrez-le sans protection ou scannez directement le document, puis envoyez-le à nouveau.",
        "nl": "De PDF is beveiligd met een wachtwoord of beperkingen. Bewaar hem zonder beveiliging of scan het document rechtstreeks en laad hem opnieuw op.",
        "de": "Das PDF ist durch ein Passwort oder Einschränkungen geschützt. Speichern Sie es ohne Schutz oder scannen Sie das Dokument direkt und laden Sie es erneut hoch.",
        "en": "The PDF is protected by a password or restrictions. Save it without protection or scan the document directly, then upload it again.",
    },
    "document.pdf_has_scripts": {
        "fr": "Pour des raisons de sécurité, nous n'acceptons pas les PDF contenant des scripts, des actions ou des fichiers joints. Envoyez un scan des pages (JPEG ou PNG) ou un PDF issu directement du scanner.",
        "nl": "Om veiligheidsredenen aanvaarden we geen PDF met scripts, acties of bijgevoegde bestanden. Bezorg een scan van de pagina's (JPEG of PNG) of een PDF die rechtstreeks van de scanner komt.",
        "de": "Aus Sicherheitsgründen nehmen wir keine PDFs mit Skripten, Aktionen oder angehängten Dateien an. Laden Sie einen Scan der Seiten (JPEG oder PNG) oder ein PDF direkt vom Scanner hoch.",
        "en": "For security reasons we do not accept PDFs with scripts, actions or attached files. Upload a scan of the pages (JPEG or PNG) or a PDF straight from the scanner.",
    },
    "document.pdf_too_many_pages": {
        "fr": "Le PDF compte {page_count} pages ; {max_pages} au maximum sont acceptées. N'envoyez que les pages du document d'identité (pour une carte ou un permis : recto et verso).",
        "nl": "De PDF telt {page_count} pagina's; er worden er maximaal {max_pages} aanvaard. Bezorg enkel de pagina's van het identiteitsdocument (voor een kaart of rijbewijs: voor- en achterzijde).",
        "de": "Das PDF hat {page_count} Seiten; höchstens {max_pages} werden angenommen. Laden Sie nur die Seiten des Ausweisdokuments hoch (bei einer Karte oder einem Führerschein: Vorder- und Rückseite).",
        "en": "The PDF has {page_count} pages; at most {max_pages} are accepted. Upload only the pages of the identity document (for a card or licence: front and back).",
    },
    "document.too_many_pages": {
        "fr": "Une demande comporte au maximum {max_pages} pages. Retirez les pages qui ne font pas partie du document d'identité.",
        "nl": "Een aanvraag bevat maximaal {max_pages} pagina's. Verwijder de pagina's die geen deel uitmaken van het identiteitsdocument.",
        "de": "Ein Antrag umfasst höchstens {max_pages} Seiten. Entfernen Sie die Seiten, die nicht zum Ausweisdokument gehören.",
        "en": "A request holds at most {max_pages} pages. Remove the pages that are not part of the identity document.",
    },
    "document.too_small": {
        "fr": "L'image est trop petite pour être lue ({short_side} pixels sur le petit côté, {min_short_side} au minimum). Scannez la page à 300 dpi ou photographiez de plus près pour que le document remplisse l'image.",
        "nl": "De afbeelding is te klein om te lezen ({short_side} pixels aan de korte zijde, minimaal {min_short_side}). Scan de pagina op 300 dpi of fotografeer van dichterbij zodat het document het hele beeld vult.",
        "de": "Das Bild ist zu klein zum Lesen ({short_side} Pixel an der kurzen Seite, mindestens {min_short_side}). Scannen Sie die Seite mit 300 dpi oder fotografieren Sie näher, sodass das Dokument das Bild ausfüllt.",
        "en": "The image is too small to read ({short_side} pixels on the shorter side, at least {min_short_side} needed). Scan the page at 300 dpi or take the photo closer so the document fills the picture.",
    },
    "document.too_blurred": {
        "fr": "L'image est trop floue pour être lue. Tenez l'appareil immobile, faites la mise au point sur le texte et remplissez l'image avec le document, ou scannez-le à 300 dpi.",
        "nl": "De afbeelding is te wazig om te lezen. Houd het toestel stil, stel scherp op de tekst en laat het document het beeld vullen, of scan het op 300 dpi.",
        "de": "Das Bild ist zu unscharf zum Lesen. Halten Sie die Kamera ruhig, stellen Sie auf den Text scharf und lassen Sie das Dokument das Bild ausfüllen, oder scannen Sie es mit 300 dpi.",
        "en": "The image is too blurred to read. Hold the camera still, focus on the text and let the document fill the picture, or scan it at 300 dpi.",
    },
    "document.too_dark": {
        "fr": "L'image est trop sombre pour être lue. Photographiez le document sous un bon éclairage, sans ombre, ou scannez-le.",
        "nl": "De afbeelding is te donker om te lezen. Fotografeer het document bij goed licht en zonder schaduw, of scan het.",
        "de": "Das Bild ist zu dunkel zum Lesen. Fotografieren Sie das Dokument bei guter Beleuchtung und ohne Schatten, oder scannen Sie es.",
        "en": "The image is too dark to read. Photograph the document in good light and without shadows, or scan it.",
    },
    "document.overexposed": {
        "fr": "L'image est surexposée : les zones claires sont délavées. Évitez la lumière directe et les reflets du flash sur le document, ou scannez-le.",
        "nl": "De afbeelding is overbelicht: de lichte delen zijn uitgebleekt. Vermijd rechtstreeks licht en flitsreflecties op het document, of scan het.",
        "de": "Das Bild ist überbelichtet: helle Bereiche sind ausgewaschen. Vermeiden Sie direktes Licht und Blitzreflexe auf dem Dokument, oder scannen Sie es.",
        "en": "The image is overexposed: light areas are washed out. Avoid direct light and flash reflections on the document, or scan it.",
    },
    "document.unreadable": {
        "fr": "Le fichier est endommagé ou incomplet et ne peut pas être ouvert. Enregistrez-le ou scannez-le à nouveau, puis envoyez le nouveau fichier.",
        "nl": "Het bestand is beschadigd of onvolledig en kan niet geopend worden. Bewaar of scan het opnieuw en laad het nieuwe bestand op.",
        "de": "Die Datei ist beschädigt oder unvollständig und kann nicht geöffnet werden. Speichern oder scannen Sie sie erneut und laden Sie die neue Datei hoch.",
        "en": "The file is damaged or incomplete and cannot be opened. Save or scan it again, then upload the new file.",
    },
    "document.empty": {
        "fr": "La première page du PDF est vide. Vérifiez que vous avez choisi le bon fichier ou scannez à nouveau le document.",
        "nl": "De eerste pagina van de PDF is leeg. Controleer of u het juiste bestand koos, of scan het document opnieuw.",
        "de": "Die erste Seite des PDFs ist leer. Prüfen Sie, ob Sie die richtige Datei gewählt haben, oder scannen Sie das Dokument erneut.",
        "en": "The first page of the PDF is empty. Check that you chose the right file, or scan the document again.",
    },
}


def message(code: str, language: str, **params: Any) -> str:
    """The refusal text for `code` in `language` (English if unknown), filled with `params`."""
    texts = MESSAGES[code]
    return texts.get(language, texts[_FALLBACK]).format(**params)
