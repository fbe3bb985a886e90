"""Transliteration tables: ICAO 9303 Part 3 first, then the spellings people actually use.

Used by `contracts.names` (the one fold of names) and by matching's spelling variants.
"""

# ICAO Doc 9303 Part 3, section 6: what a machine-readable passport prints for Cyrillic.
ICAO_CYRILLIC = {
    "А": "A",
    "Б": "B",
    "В": "V",
    "Г": "G",
    "Ґ": "G",
    "Д": "D",
    "Ђ": "D",
    "Ѓ": "G",
    "Е": "E",
    "Ё": "E",
    "Є": "IE",
    "Ж": "ZH",
    "З": "Z",
    "Ѕ": "DZ",
    "И": "I",
    "І": "I",
    "Ї": "I",
    "Й": "I",
    "Ј": "J",
    "К": "K",
    "Л": "L",
    "Љ": "LJ",
    "М": "M",
    "Н": "N",
    "Њ": "NJ",
    "О": "O",
    "П": "P",
    "Р": "R",
    "С": "S",
    "Т": "T",
    "Ћ": "C",
    "Ќ": "K",
    "У": "U",
    "Ў": "U",
    "Ф": "F",
    "Х": "KH",
    "Ц": "TS",
    "Ч": "CH",
    "Џ": "DZ",
    "Ш": "SH",
    "Щ": "SHCH",
    "Ъ": "IE",
    "Ы": "Y",
    "Ь": "",
    "Э": "E",
    "Ю": "IU",
    "Я": "IA",
}

# Older Soviet/BGN-style passports and most visa records: Y-forms (YU, YA, YO, Y).
POPULAR_CYRILLIC = ICAO_CYRILLIC | {
    "Ё": "YO",
    "Й": "Y",
    "Ъ": "",
    "Ю": "YU",
    "Я": "YA",
    "Є": "YE",
    "Ї": "YI",
}

# Ukrainian national romanisation (2010), printed in Ukrainian passports since then.
UKRAINIAN_CYRILLIC = ICAO_CYRILLIC | {
    "Г": "H",
    "И": "Y",
    "Й": "Y",
    "Ю": "IU",
    "Я": "IA",
    "Є": "IE",
    "Ї": "I",
}

# Greek digraphs first (ELOT 743, which Greek passports follow), then single letters.
GREEK_DIGRAPHS = {"ΟΥ": "OU", "ΑΥ": "AV", "ΕΥ": "EV", "ΗΥ": "IV", "ΓΓ": "NG"}
ICAO_GREEK = {
    "Α": "A",
    "Β": "V",
    "Γ": "G",
    "Δ": "D",
    "Ε": "E",
    "Ζ": "Z",
    "Η": "I",
    "Θ": "TH",
    "Ι": "I",
    "Κ": "K",
    "Λ": "L",
    "Μ": "M",
    "Ν": "N",
    "Ξ": "X",
    "Ο": "O",
    "Π": "P",
    "Ρ": "R",
    "Σ": "S",
    "Τ": "T",
    "Υ": "Y",
    "Φ": "F",
    "Χ": "CH",
    "Ψ": "PS",
    "Ω": "O",
}
# Everyday Greek spellings: Hristos, Papadopulos.
POPULAR_GREEK = ICAO_GREEK | {"Χ": "H"}
POPULAR_GREEK_DIGRAPHS = GREEK_DIGRAPHS | {"ΟΥ": "U"}

# Letters that neither decompose nor transliterate the way a passport prints them.
SPECIAL_LATIN = {
    "ẞ": "SS",
    "Ł": "L",
    "Đ": "D",
    "Ð": "D",
    "Þ": "TH",
    "Æ": "AE",
    "Œ": "OE",
    "Ħ": "H",
    "Ŧ": "T",
    "Ŋ": "NG",
    "Ĳ": "IJ",
    "ı": "I",
}
# Umlauts and Nordic vowels: a passport prints either the bare vowel or the ICAO expansion.
FOLDED_VOWELS = {"Ä": "A", "Ö": "O", "Ü": "U", "Ø": "O", "Å": "A"}
EXPANDED_VOWELS = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "Ø": "OE", "Å": "AA"}

# Name particles: dropped for the core of a name, never when they are the whole name.
PARTICLES = frozenset(
    {
        "VAN",
        "VON",
        "DER",
        "DEN",
        "DE",
        "DES",
        "DU",
        "LA",
        "LE",
        "LOS",
        "LAS",
        "DEL",
        "DELLA",
        "DELLE",
        "DEGLI",
        "DI",
        "DA",
        "DAS",
        "DOS",
        "DO",
        "TER",
        "TEN",
        "TE",
        "T",
        "ZU",
        "ZUR",
        "VOM",
        "EL",
        "AL",
        "UL",
        "BIN",
        "BEN",
        "IBN",
        "BINT",
        "AP",
        "OP",
    }
)
# Particles also written glued to the name (VANDERBERG, ALHASSAN), longest first,
# with the shortest remainder we trust not to be a given name (ALBERT is not AL-BERT).
JOINED_PREFIXES = (
    ("VANDER", 4),
    ("VANDEN", 4),
    ("VONDER", 4),
    ("VANDE", 4),
    ("DELLA", 4),
    ("VAN", 4),
    ("VON", 4),
    ("DELA", 4),
    ("AL", 5),
    ("EL", 5),
)
