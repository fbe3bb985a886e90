"""m and u from data: EM finds the m a simulated stream was drawn with, and keeps agents' labels."""

import random

from matching.domain.estimate import estimate, estimate_u
from matching.domain.levels import Level
from matching.domain.model import PRIOR

L = Level
TRUE_M = {"surname": {L.EXACT: 0.9, L.DISAGREE: 0.1}, "birth_date": {L.EXACT: 0.8, L.DISAGREE: 0.2}}
TRUE_U = {
    "surname": {L.EXACT: 0.01, L.DISAGREE: 0.99},
    "birth_date": {L.EXACT: 0.02, L.DISAGREE: 0.98},
}


def draw(rng: random.Random, table: dict) -> dict:
    return {
        f: rng.choices(list(levels), weights=list(levels.values()))[0]
        for f, levels in table.items()
    }


def stream(seed: int, *, matches: int, others: int) -> list[dict]:
    rng = random.Random(seed)
    return [draw(rng, TRUE_M) for _ in range(matches)] + [draw(rng, TRUE_U) for _ in range(others)]


def test_u_is_counted_on_random_pairs():
    rng = random.Random(1)
    u = estimate_u([draw(rng, TRUE_U) for _ in range(20_000)])

    assert abs(u["surname"][L.EXACT] - 0.01) < 0.003
    assert abs(u["birth_date"][L.DISAGREE] - 0.98) < 0.01


def test_a_level_too_rare_to_count_keeps_its_prior_u_within_what_the_sample_allows():
    # 100,000 random pairs: no surname typo at all, and 5 one-digit-off dates (u ~ 5e-5).
    randoms = [{"surname": L.DISAGREE, "birth_date": L.DISAGREE}] * 99_995
    randoms += [{"surname": L.DISAGREE, "birth_date": L.ONE_DIGIT_OFF}] * 5
    u = estimate_u(randoms)

    # Not pulled to ~0 (20 pseudo-pairs in 100,000 made it 4e-8, 1/5,000 of the prior, +12
    # bits): none in 100,000 is at most 3 in 100,000.
    assert u["surname"][L.TYPO] == 3 / 100_000
    # Fewer pairs rule out less: the prior stands.
    few = estimate_u([{"surname": L.DISAGREE}] * 5_000)
    assert few["surname"][L.TYPO] == PRIOR.params["surname"][L.TYPO][1]
    # The prior (0.0015) is more than 5 in 100,000 can be: the 95% bound caps it.
    assert 5e-5 < u["birth_date"][L.ONE_DIGIT_OFF] <= (5 + 3 + 2 * 5**0.5) / 100_000
    assert u["birth_date"][L.ONE_DIGIT_OFF] < PRIOR.params["birth_date"][L.ONE_DIGIT_OFF][1]
    # A level seen often is counted.
    assert abs(u["birth_date"][L.DISAGREE] - 0.99995) < 1e-6


def test_em_recovers_m_and_the_share_of_matches_from_unlabelled_pairs():
    rng = random.Random(2)
    found = estimate(
        stream(3, matches=3_000, others=7_000),
        random_pairs=[draw(rng, TRUE_U) for _ in range(20_000)],
    )

    m = {f: {lv: mu[0] for lv, mu in found.model.params[f].items()} for f in TRUE_M}
    assert abs(found.match_share - 0.3) < 0.03
    assert (
        abs(m["surname"][L.EXACT] / (m["surname"][L.EXACT] + m["surname"][L.DISAGREE]) - 0.9) < 0.03
    )
    assert found.model.version.startswith("em-") and found.model.source["pairs"] == 10_000


def test_the_version_names_the_numbers_and_levels_outside_the_data_keep_their_prior():
    rng = random.Random(4)
    randoms = [draw(rng, TRUE_U) for _ in range(5_000)]
    one = estimate(stream(5, matches=500, others=500), random_pairs=randoms)
    again = estimate(stream(5, matches=500, others=500), random_pairs=randoms)
    other = estimate(stream(6, matches=500, others=500), random_pairs=randoms)

    assert one.model.version == again.model.version != other.model.version
    assert one.model.params["document"] == {
        lv: (pytest_approx_m, u)
        for lv, (pytest_approx_m, u) in one.model.params["document"].items()
    }
    assert one.model.params["name_order"] == PRIOR.params["name_order"]


def test_labelled_pairs_keep_their_label():
    rng = random.Random(7)
    randoms = [draw(rng, TRUE_U) for _ in range(5_000)]
    # Agents said: these exact-surname, other-date pairs were the same person, every time.
    labels = [({"surname": L.EXACT, "birth_date": L.DISAGREE}, True)] * 2_000
    without = estimate(stream(8, matches=500, others=2_000), random_pairs=randoms)
    labelled = estimate(stream(8, matches=500, others=2_000), random_pairs=randoms, labels=labels)

    def m(found, level):
        return found.model.params["birth_date"][level][0]

    assert m(labelled, L.DISAGREE) > 3 * m(without, L.DISAGREE)


def test_one_match_per_request_keeps_a_look_alike_from_counting_as_a_second_match():
    # Each request: its person (drawn from m) and a twin who agrees on the surname and disagrees
    # on the date; pairs EM would count both when they stand alone.
    rng = random.Random(9)
    randoms = [draw(rng, TRUE_U) for _ in range(20_000)]
    pairs, groups = [], []
    for request in range(2_000):
        pairs += [draw(rng, TRUE_M), {"surname": L.EXACT, "birth_date": L.DISAGREE}]
        groups += [request, request]
    pairs += [draw(rng, TRUE_U) for _ in range(4_000)]
    groups += list(range(2_000, 6_000))

    alone = estimate(pairs, random_pairs=randoms)
    grouped = estimate(pairs, random_pairs=randoms, groups=groups)

    def m_date_disagree(found):
        return found.model.params["birth_date"][L.DISAGREE][0]

    assert abs(grouped.match_share - 2_000 / 6_000) < 0.03
    assert m_date_disagree(grouped) < 0.35 and m_date_disagree(alone) > 0.5  # truth: 0.2
    assert grouped.model.source["one_match_per_request"] is True
