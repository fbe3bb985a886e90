"""The confirmation PDF: every name as written, in an embedded Unicode font, read back from the file."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from gateway.pdf import Confirmation, render, verification_reference

NAMES = {
    "polish": "Łucja Wiśniewska-Żółkiewska",
    "cyrillic": "Олександр Шевченко",
    "greek": "Γιώργος Παπαδόπουλος",
}


def confirmation(worker: str) -> Confirmation:
    return Confirmation(
        title="Numéro d'identification belge",
        outcome="Nouveau numéro BIS créé",
        number_label="INSZ/NISS",
        number="90.44.02-002.43",
        lines=[
            ("Travailleur", worker),
            ("Employeur", "0403170701"),
            ("Attribué le", "1er décembre 2026"),
        ],
        reference_label="Référence de vérification",
        reference=verification_reference("r-1", "90440200243", "0403170701"),
        footer="Confirmation délivrée par idpro.",
    )


@pytest.mark.parametrize("script", sorted(NAMES))
def test_a_name_in_any_script_is_printed_as_written_and_reads_back(script):
    reader = PdfReader(BytesIO(render(confirmation(NAMES[script]), language="fr")))

    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    assert NAMES[script] in text
    for shown in ("90.44.02-002.43", "Nouveau numéro BIS créé", "1er décembre 2026", "0403170701"):
        assert shown in text


def test_the_font_is_embedded_and_the_metadata_hold_no_personal_data():
    document = render(confirmation(NAMES["polish"]), language="fr")
    reader = PdfReader(BytesIO(document))

    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    descriptors = [f["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts]
    assert all("/FontFile2" in d for d in descriptors)  # embedded TrueType, not a base-14 font
    assert "Wiśniewska" not in str(reader.metadata) and "9044020" not in str(reader.metadata)


def test_the_verification_reference_ties_request_number_and_employer():
    reference = verification_reference("r-1", "90440200243", "0403170701")

    assert len(reference) == 19 and reference.count("-") == 3
    assert reference != verification_reference("r-1", "90440200243", "0999999999")
