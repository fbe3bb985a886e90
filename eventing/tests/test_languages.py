"""Accept-Language negotiation, shared by every service that speaks to people."""

import pytest

from eventing.languages import best_language


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("nl-BE,nl;q=0.9,en;q=0.8", "nl"),
        ("es-ES,de;q=0.5,fr;q=0.7", "fr"),
        ("de, fr", "de"),
        ("fr;q=0.2, nl;q=0.2", "fr"),
        ("es, it", "en"),
        ("", "en"),
        (None, "en"),
        ("fr;q=abc, nl", "nl"),
    ],
)
def test_the_best_of_our_four_languages_is_chosen(header, expected):
    assert best_language(header) == expected
