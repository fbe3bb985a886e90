from io import BytesIO

from pypdf import PdfReader

from gateway.pdf import confirmation


def test_the_confirmation_opens_and_shows_the_formatted_number():
    document = confirmation(
        title="Numéro d'identification belge",
        lines=[("Travailleur", "Łukasz Müller (test)"), ("NISS", "90.44.02-002.43")],
        footer="idpro",
    )

    reader = PdfReader(BytesIO(document))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    assert "90.44.02-002.43" in text
    assert "Lukasz Müller (test)" in text
    assert "Numéro d'identification belge" in text
