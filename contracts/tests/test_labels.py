"""Every code a service can emit has words in all four languages, and no code reads as itself."""

import pytest

from contracts import LANGUAGES, label
from contracts.codes import (
    CASE_RESOLUTIONS,
    DOCUMENT_TYPES,
    EMPLOYMENT_KINDS,
    MISSING_FIELDS,
    NOTIFICATION_KINDS,
    NUMBER_KINDS,
    PERSON_FIELDS,
    REJECT_REASONS,
    REVIEW_REASONS,
    SEXES,
    STATUSES,
)
from contracts.identification import MINIMUM_DATA_ITEMS
from contracts.labels import LABELS, fallback, labels

CODE_SETS = {
    "missing": MISSING_FIELDS,
    "field": PERSON_FIELDS,
    "status": STATUSES,
    "number_kind": NUMBER_KINDS,
    "review_reason": REVIEW_REASONS,
    "review_reason_employer": REVIEW_REASONS,
    "reject_reason": REJECT_REASONS,
    "notification_kind": NOTIFICATION_KINDS,
    "employment": EMPLOYMENT_KINDS,
    "sex": SEXES,
    "document_type": DOCUMENT_TYPES,
    "resolution": CASE_RESOLUTIONS,
}


@pytest.mark.parametrize("group", sorted(CODE_SETS))
def test_every_code_of_every_group_has_a_label_in_all_four_languages(group):
    for code in CODE_SETS[group]:
        texts = LABELS[group].get(code)
        assert texts is not None, f"{group}.{code} has no label"
        for language in LANGUAGES:
            assert texts.get(language, "").strip(), f"{group}.{code} has no {language} label"
            assert "_" not in texts[language], f"{group}.{code} reads like a code"


@pytest.mark.parametrize("group", sorted(LABELS))
def test_no_group_labels_a_code_that_cannot_be_emitted(group):
    if group in CODE_SETS:
        assert set(LABELS[group]) == set(CODE_SETS[group])


def test_the_minimum_data_items_are_codes_an_information_request_may_carry():
    assert set(MINIMUM_DATA_ITEMS) <= set(MISSING_FIELDS)


def test_the_labels_differ_between_languages_where_words_differ():
    # A copy-paste of the English text into another language would pass the emptiness check.
    for group, codes in LABELS.items():
        for code, texts in codes.items():
            if len(texts["en"]) > 12:
                assert texts["fr"] != texts["en"] and texts["de"] != texts["en"], (group, code)


def test_an_unknown_code_reads_as_the_group_fallback_never_as_itself():
    assert label("missing", "shoe_size", "fr") == fallback("missing", "fr")
    assert "shoe_size" not in label("missing", "shoe_size", "nl")
    assert label("review_reason", None, "de") == fallback("review_reason", "de")


def test_an_unsupported_language_reads_in_english():
    assert label("status", "rejected", "es") == "Rejected"


def test_several_codes_read_once_each_in_order():
    assert labels("missing", ["birth_place", "sex", "birth_place"], "fr") == [
        "lieu de naissance",
        "sexe",
    ]
