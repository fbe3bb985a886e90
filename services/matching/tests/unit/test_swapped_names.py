"""Swapped surname and given names: weighed as the names they are, and corroborated more."""

from matching.domain import Level, NeedsReview, Person, SamePerson, Thresholds, decide, score_all
from matching.domain.scoring import Frequencies

from .people import HOME, person

# A registry of a million where KOWALSKI is a common surname and JAN a common given name: as a
# surname JAN is unknown, and KOWALSKI unknown as a given name.
REGISTRY = Frequencies(
    {("surname", "KOWALSKI"): 2_000, ("given", "JAN"): 8_000, ("place", "POZNAN"): 5_000},
    total=1_000_000,
)


def best(request: Person, candidate: Person):
    return score_all(request, [("c", candidate)], frequency=REGISTRY)[0]


def decision(request: Person, candidate: Person):
    found = score_all(request, [("c", candidate)], frequency=REGISTRY)
    return decide(found, Thresholds(), minimum_data_met=True)


def test_swapped_names_weigh_no_more_than_the_same_names_in_their_order():
    # Each name is weighed with its own field's frequency: JAN is rare as a surname, so read
    # crossed it weighed as a rare surname (~28 bits of names against ~15 in order).
    straight = best(person(), person())
    swapped = best(person("Jan", "Kowalski"), person())

    assert swapped.level("name_order") is Level.SWAPPED
    assert (swapped.level("surname"), swapped.level("given_names")) == (Level.EXACT, Level.EXACT)
    assert swapped.weight < straight.weight
    names = {a.field: a.weight for a in swapped.agreements}
    in_order = {a.field: a.weight for a in straight.agreements}
    assert names["surname"] == in_order["surname"]
    assert names["given_names"] == in_order["given_names"]


def test_a_given_name_typo_read_crossed_is_weighed_on_the_given_name():
    swapped = best(person("Jna", "Kowalski"), person())

    assert swapped.level("name_order") is Level.SWAPPED
    assert swapped.level("surname") is Level.EXACT
    assert swapped.level("given_names") in (Level.SIMILAR, Level.TYPO)


def test_swapped_names_with_the_exact_date_and_the_birth_place_alone_go_to_review():
    # On a million persons a stranger Piotr Nowak born on the day in the same town was matched
    # so: common names and a place of their population corroborate nothing of the order.
    request = person("Jan", "Kowalski")

    assert best(request, person()).weight >= Thresholds().auto_match
    assert isinstance(decision(request, person()), NeedsReview)


def test_swapped_names_with_the_exact_date_and_the_same_home_are_the_person():
    request = person("Jan", "Kowalski", birth_place=None, addresses=(HOME,))
    registry = person(birth_place=None, addresses=(HOME,))

    assert best(request, registry).weight >= Thresholds().auto_match
    assert isinstance(decision(request, registry), SamePerson)


def test_swapped_names_with_only_the_date_and_codes_go_to_review():
    # Nationality and birth country follow the surname's population: no corroboration.
    request = person("Jan", "Kowalski", birth_place="Gniezno")

    assert isinstance(decision(request, person()), NeedsReview)


def test_swapped_names_with_a_near_date_go_to_review_even_with_place_and_home():
    request = person("Jan", "Kowalski", birth_date="1985-07-15", addresses=(HOME,))
    registry = person(addresses=(HOME,))

    assert isinstance(decision(request, registry), NeedsReview)


def test_swapped_names_with_a_name_typo_go_to_review_even_with_place_and_home():
    request = person("Jan", "Kowlaski", addresses=(HOME,))
    registry = person(addresses=(HOME,))

    assert best(request, registry).level("name_order") is Level.SWAPPED
    assert isinstance(decision(request, registry), NeedsReview)
