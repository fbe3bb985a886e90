"""The zone's lines made consistent, its check digits and their one-confusion repair (pure)."""

from datetime import date

import numpy as np
from mrz.generator.td1 import TD1CodeGenerator
from mrz.generator.td3 import TD3CodeGenerator

from intake.mrz.checks import settled
from intake.mrz.fields import differences, prefill, same_name
from intake.mrz.layout import cells, find_zone, is_chevron
from intake.mrz.tesseract import Glyph, Line, parse_hocr

TODAY = date(2026, 11, 1)


def td3(number="EH1234567", birth="900402", surname="KOWALSKA", given="ANNA MARIA") -> tuple:
    code = TD3CodeGenerator("P", "POL", surname, given, number, "POL", birth, "F", "310430", "")
    return tuple(line.strip() for line in str(code).split("\n"))


def td1() -> tuple:
    code = TD1CodeGenerator(
        "ID", "BEL", "590330101", "900402", "M", "310430", "BEL", "Mueller", "Juergen"
    )
    return tuple(line.strip() for line in str(code).split("\n"))


def test_a_zone_read_right_holds_every_check_digit():
    zone = settled("td3", td3())

    assert zone.valid and zone.repaired == ()
    assert set(zone.checks) == {
        "document_number",
        "birth_date",
        "expiry_date",
        "optional_data",
        "composite",
    }


def test_letters_in_digit_cells_and_digits_in_letter_cells_are_turned_back():
    first, second = td3()
    misread = (first.replace("POL", "P0L"), second[:13] + "9OO4O2" + second[19:])

    zone = settled("td3", misread)

    assert zone.lines == td3() and zone.valid


def test_one_letter_digit_twin_in_the_document_number_is_repaired_and_said_so():
    first, second = td3(number="EH1234567")

    zone = settled("td3", (first, "EHI234567" + second[9:]))

    assert zone.lines == td3() and zone.valid and zone.repaired == ("document_number",)


def test_a_document_number_is_not_repaired_by_a_guess_beyond_letter_digit_twins():
    first, second = td3(number="EH1234567")

    zone = settled("td3", (first, "EH12345B7" + second[9:]))  # 6 read as B: no twin explains it

    assert not zone.valid and zone.repaired == () and zone.lines[1].startswith("EH12345B7")


def test_a_wrong_digit_two_repairs_could_explain_is_left_failing_not_guessed():
    first, second = td3(birth="900402")
    misread = (first, second[:13] + "900482" + second[19:])

    zone = settled("td3", misread)

    assert not zone.valid and zone.checks["birth_date"] is False and zone.repaired == ()


def test_stray_glyphs_after_the_names_and_in_empty_optional_data_become_fillers():
    first, second = td3(surname="NOWAK", given="JAN")
    noisy = (first[:20] + "K<<K<" + first[25:], second[:30] + "K<K" + second[33:])

    zone = settled("td3", noisy)

    assert zone.lines == td3(surname="NOWAK", given="JAN")


def test_the_prefill_speaks_the_wizards_terms():
    said = prefill(settled("td1", td1()), today=TODAY)

    assert said["document"] == {"type": "identity_card", "issuing_country": "BE"}
    assert said["person"] == {
        "surnames": "Mueller",
        "given_names": "Juergen",
        "sex": "male",
        "birth_date": "1990-04-02",
        "nationality": "BE",
        "document_number": "590330101",
        "document_expiry_date": "2031-04-30",
    }


def test_typed_names_agree_with_the_zones_transliteration_and_differences_name_the_field():
    zone = settled("td1", td1())
    steps = {"person": {"surnames": "Müller", "given_names": "Jürgen", "birth_date": "1990-04-12"}}

    assert same_name("Müller", "MUELLER") and same_name("Muller", "MULLER")
    assert differences(zone, steps, today=TODAY) == ["birth_date"]


def test_a_glyph_is_put_in_the_cell_its_place_says_and_a_phantom_beside_a_filler_is_dropped():
    pitch, text = 20, "AB<<CD"
    glyphs = [
        Glyph(ch, 10 + i * pitch, 22 + i * pitch, 99.0) for i, ch in enumerate(text) if i != 3
    ]
    glyphs.insert(3, Glyph("K", 52, 58, 90.0))  # overlaps the filler in cell 2

    assert cells(Line(0, 30, tuple(glyphs)), 6, "AAAAAA", pitch=pitch) == "AB<<CD"


def test_a_chevron_is_told_from_the_letters_it_is_read_as():
    chevron = [[0] * 12 for _ in range(18)]
    for row in range(18):
        column = abs(row - 9) * 11 // 9
        chevron[row][column] = chevron[row][min(column + 1, 11)] = 1
    stem = [[1, 1] + [0] * 8 + [1, 1] for _ in range(18)]

    assert is_chevron(np.array(chevron)) and not is_chevron(np.array(stem))


def test_hocr_gives_every_glyph_with_its_box():
    hocr = (
        b'<html xmlns="http://www.w3.org/1999/xhtml"><body>'
        b"<span class='ocr_line' title='bbox 0 10 100 40'>"
        b"<span class='ocrx_cinfo' title='x_bboxes 1 11 9 39; x_conf 98.5'>P</span>"
        b"<span class='ocrx_cinfo' title='x_bboxes 12 11 20 39; x_conf 97'>&lt;</span>"
        b"</span></body></html>"
    )

    (line,) = parse_hocr(hocr)

    assert line.text == "P<" and line.glyphs[1] == Glyph("<", 12, 20, 97.0, 11, 39)


PITCH, HEIGHT = 12, 16


def _ink_of(char: str) -> np.ndarray:
    """A glyph's ink: the same for every copy of a character, as OCR-B prints it."""
    if char == "<":
        chevron = np.zeros((HEIGHT, PITCH - 2), dtype=bool)
        for row in range(HEIGHT):
            chevron[row, abs(row - HEIGHT // 2) * (PITCH - 3) // (HEIGHT // 2)] = True
        return chevron
    return np.random.default_rng(ord(char)).random((HEIGHT, PITCH - 2)) > 0.5


def _page(texts: tuple[str, ...], drawn_as: dict[tuple[int, int], str]):
    """OCR lines (every cell read surely) and their ink; drawn_as: (line, cell) → the character
    really printed there, where the OCR read another."""
    ink = np.zeros((len(texts) * 2 * HEIGHT, len(texts[0]) * PITCH + 4), dtype=bool)
    lines = []
    for n, text in enumerate(texts):
        top, glyphs = n * 2 * HEIGHT, []
        for i, char in enumerate(text):
            left = 2 + i * PITCH
            printed = drawn_as.get((n, i), char)
            ink[top : top + HEIGHT, left : left + PITCH - 2] = _ink_of(printed)
            glyphs.append(Glyph(char, left, left + PITCH - 3, 96.0, top, top + HEIGHT - 1))
        lines.append(Line(top, top + HEIGHT - 1, tuple(glyphs)))
    return lines, ink


def test_a_filler_read_as_the_names_last_letter_is_put_back_by_the_pages_own_fillers():
    first, second = td3(surname="NOWAK", given="JUERGEN")
    end = first.index("JUERGEN") + len("JUERGEN")
    misread = first[:end] + "K" + first[end + 1 :]  # the filler after JUERGEN read as K
    lines, ink = _page((misread, second), {(0, end): "<"})

    zone = find_zone(lines, ink)

    assert zone is not None and zone.lines == (first, second)
    assert zone.trusted and not zone.unsure


def test_a_name_letter_that_looks_like_another_letter_of_the_page_makes_the_names_unsure():
    first, second = td3(surname="KOWALSKA", given="PIOTR IVO")
    at = first.index("PIOTR") + 1
    misread = first[:at] + "L" + first[at + 1 :]  # an I (printed as the page's I) read as L
    lines, ink = _page((misread, second), {(0, at): "I"})

    zone = find_zone(lines, ink)

    assert zone is not None and zone.valid  # the check digits cannot see it
    assert zone.lines[0] == misread and zone.unsure == ("names",) and not zone.trusted


def test_names_read_as_printed_are_trusted():
    lines, ink = _page(td3(), {})

    zone = find_zone(lines, ink)

    assert zone is not None and zone.lines == td3() and zone.trusted
