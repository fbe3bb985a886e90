"""Names folded to their passport form, and the keys equivalent spellings share."""

import pytest

from contracts.names import fold
from matching.domain import normalise_name, phonetic_keys
from matching.domain.normalise import core_tokens


def shares_a_key(a: str, b: str) -> bool:
    return bool(normalise_name(a).keys & normalise_name(b).keys)


@pytest.mark.parametrize(
    ("written", "passport"),
    [
        ("Łukasz", "LUKASZ"),
        ("Straße", "STRASSE"),
        ("Ørsted", "ORSTED"),
        ("Æbeltoft", "AEBELTOFT"),
        ("François", "FRANCOIS"),
        ("Dvořák", "DVORAK"),
        ("Yılmaz", "YILMAZ"),
        ("İbrahim", "IBRAHIM"),
        ("Жуков", "ZHUKOV"),
        ("Щукин", "SHCHUKIN"),
        ("Юлия", "IULIIA"),
        ("Дмитрий", "DMITRII"),
        ("Χρήστος", "CHRISTOS"),
        ("Παπαδόπουλος", "PAPADOPOULOS"),
    ],
)
def test_names_fold_to_the_latin_form_a_passport_prints(written, passport):
    assert normalise_name(written).compact == passport


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Müller", "MUELLER"),
        ("Müller", "MULLER"),
        ("Mueller", "Muller"),
        ("Łukasz", "Lukasz"),
        ("Дмитрий", "DMITRII"),
        ("Дмитрий", "DMITRIY"),
        ("DMITRII", "DMITRIY"),
        ("Юлия", "YULIYA"),
        ("Юлия", "IULIIA"),
        ("Γεώργιος", "GEORGIOS"),
        ("Χρήστος", "HRISTOS"),
        ("Παπαδόπουλος", "PAPADOPULOS"),
        ("Van der Berg", "VANDERBERG"),
        ("Van der Berg", "van den Berg"),
        ("Al-Hassan", "Hassan"),
        ("Al-Hassan", "ALHASSAN"),
        ("Ar-Rashid", "Al Rashid"),
        ("McDonald", "MacDonald"),
        ("Mac Donald", "MCDONALD"),
        ("O'Brien", "OBRIEN"),
        ("Ørsted", "OERSTED"),
    ],
)
def test_equivalent_spellings_share_a_key(a, b):
    assert shares_a_key(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Müller", "Miller"), ("Anna", "Ewa"), ("Albert", "Bert"), ("Yang", "Jang")],
)
def test_different_names_share_no_key(a, b):
    assert not shares_a_key(a, b)


def test_hyphenated_and_compound_names_split_into_tokens():
    assert normalise_name("García-López").tokens == ("GARCIA", "LOPEZ")
    assert normalise_name("Anna  Maria, Zofia").tokens == ("ANNA", "MARIA", "ZOFIA")


def test_apostrophes_join_and_punctuation_separates():
    assert normalise_name("D'Angelo").compact == normalise_name("D ANGELO").compact


def test_particles_are_left_out_of_the_core_but_never_leave_it_empty():
    assert core_tokens(normalise_name("van der Berg")) == ("BERG",)
    assert core_tokens(normalise_name("de la Cruz")) == ("CRUZ",)
    assert core_tokens(normalise_name("Le")) == ("LE",)
    assert core_tokens(normalise_name("Van")) == ("VAN",)


def test_empty_or_missing_text_gives_an_empty_name():
    assert normalise_name(None).tokens == ()
    assert normalise_name("  - ").keys == frozenset()


@pytest.mark.parametrize(
    ("a", "b"),
    [("Müller", "Mueller"), ("Дмитрий", "DMITRIY"), ("VANDERBERG", "van der Berg")],
)
def test_variant_spellings_share_a_phonetic_key(a, b):
    assert phonetic_keys(normalise_name(a)) & phonetic_keys(normalise_name(b))


def test_phonetic_keys_are_prefixed_by_algorithm():
    keys = phonetic_keys(normalise_name("Kowalski"))

    assert {key[:2] for key in keys} == {"M:", "N:"}


def test_matching_reads_names_with_the_fold_every_service_uses():
    for name in ("Müller-Lüdenscheidt", "Шевченко", "Łukasz Żółć", "Παπαδόπουλος"):
        assert " ".join(normalise_name(name).tokens).lower() == fold(name)
