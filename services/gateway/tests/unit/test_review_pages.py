"""The case page's scan viewer pages and its zone warning, from what intake and matching say."""

from gateway.pages.review import viewer_pages, zone_differences


def test_a_pdf_shows_one_page_per_page_after_an_image():
    pages = viewer_pages(
        [
            {"document_id": "a", "media_type": "image/png", "pages": 1},
            {"document_id": "b", "media_type": "application/pdf", "pages": 2},
        ]
    )

    assert [p["src"] for p in pages] == [
        "/review/documents/a",
        "/review/documents/b/pages/1",
        "/review/documents/b/pages/2",
    ]
    assert [p["pdf"] for p in pages] == [None, "/review/documents/b", "/review/documents/b"]


def test_the_warning_names_what_the_zone_prints_otherwise():
    zone = {
        "status": "read",
        "differences": ["surnames", "birth_date", "document_number"],
        "prefill": {"person": {"surnames": "Specimen", "birth_date": "1990-04-02"}},
    }
    typed = {"surnames": "Kowalska", "given_names": "Anna", "birth_date": "1985"}

    assert zone_differences(zone, typed) == [
        {"field": "surnames", "zone": "Specimen", "typed": "Kowalska"},
        {"field": "birth_date", "zone": "1990-04-02", "typed": "1985"},
    ]


def test_no_warning_without_a_reading():
    typed = {"surnames": "Kowalska"}
    assert zone_differences({}, typed) == []
    assert zone_differences({"status": "pending", "differences": ["surnames"]}, typed) == []
