"""Message keys of bulk requests (a whole file refused), in fr, nl, de and en."""

# ruff: noqa: E501


def _t(fr: str, nl: str, de: str, en: str) -> dict[str, str]:
    return {"fr": fr, "nl": nl, "de": de, "en": en}


BATCH_MESSAGES: dict[str, dict[str, str]] = {
    "batch.invalid": _t(
        "Ce n'est pas un lot de demandes valable.",
        "Dit is geen geldige reeks aanvragen.",
        "Dies ist kein gültiger Stapel von Anträgen.",
        "This is not a valid batch of requests.",
    ),
    "batch.too_large": _t(
        "Le fichier dépasse {max_mb} Mo.",
        "Het bestand is groter dan {max_mb} MB.",
        "Die Datei ist größer als {max_mb} MB.",
        "The file is larger than {max_mb} MB.",
    ),
    "batch.too_many_rows": _t(
        "Un lot compte au plus {max_rows} lignes.",
        "Een reeks telt hoogstens {max_rows} rijen.",
        "Ein Stapel hat höchstens {max_rows} Zeilen.",
        "A batch has at most {max_rows} rows.",
    ),
    "batch.empty": _t(
        "Le fichier ne contient aucune ligne.",
        "Het bestand bevat geen rijen.",
        "Die Datei enthält keine Zeilen.",
        "The file has no rows.",
    ),
    "batch.encoding": _t(
        "Le fichier doit être encodé en UTF-8.",
        "Het bestand moet in UTF-8 gecodeerd zijn.",
        "Die Datei muss UTF-8-kodiert sein.",
        "The file must be encoded in UTF-8.",
    ),
    "batch.no_columns": _t(
        "Aucune colonne du fichier ne correspond à un champ : vérifiez la correspondance des colonnes.",
        "Geen enkele kolom van het bestand komt overeen met een veld: controleer de kolomkoppeling.",
        "Keine Spalte der Datei entspricht einem Feld: prüfen Sie die Spaltenzuordnung.",
        "No column of the file matches a field: check the column mapping.",
    ),
    "batch.mapping_invalid": _t(
        "La correspondance des colonnes n'est pas valable.",
        "De kolomkoppeling is niet geldig.",
        "Die Spaltenzuordnung ist ungültig.",
        "The column mapping is not valid.",
    ),
    "batch.not_found": _t(
        "Ce lot n'existe pas.",
        "Deze reeks bestaat niet.",
        "Dieser Stapel existiert nicht.",
        "No such batch.",
    ),
}
