"""What the eligibility rules (contracts.eligibility) change in an automatic decision. Pure."""

from matching.domain.decide import Decision, NeedsReview, NewPerson, SamePerson


def restrict(decision: Decision, *, belgian: bool, under_age: bool) -> Decision:
    """A possible minor always goes to an agent; a Belgian never gets a BIS number by itself.

    The candidates stay with the case, so the agent compares the same people the scorer did.
    """
    if under_age:
        return NeedsReview("under_working_age", _candidates(decision))
    if belgian and isinstance(decision, NewPerson):
        return NeedsReview("national_register_not_found", ())
    return decision


def _candidates(decision: Decision) -> tuple[str, ...]:
    if isinstance(decision, SamePerson):
        return (decision.candidate_id,)
    if isinstance(decision, NeedsReview):
        return decision.candidate_ids
    return ()
