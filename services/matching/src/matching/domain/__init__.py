"""Pure matching decisions: normalise names, score candidates, decide, explain. No I/O."""

# The minimum-data rule and partial dates are contracts' (intake applies the same ones).
from contracts.identification import MinimumData, is_minimum_data_met, minimum_data
from matching.domain.dates import PartialDate, date_agreement, parse_birth_date
from matching.domain.decide import (
    Decision,
    NeedsInformation,
    NeedsReview,
    NewPerson,
    SamePerson,
    Thresholds,
    decide,
    hard_conflicts,
)
from matching.domain.keys import name_keys
from matching.domain.levels import Level
from matching.domain.normalise import NormalisedName, normalise_name, phonetic_keys
from matching.domain.outcomes import (
    KINDS,
    Subject,
    info_requested,
    number_assigned,
    rejected,
    review_opened,
)
from matching.domain.person import (
    Document,
    Entry,
    Person,
    PersonToFile,
    Sex,
    new_registry_person,
    person_from,
)
from matching.domain.scoring import FieldAgreement, Frequency, Scored, score, score_all
from matching.domain.verdict import (
    Verdict,
    check_claim,
    completed_fields,
    explain,
    explain_candidate,
    judge,
    review_candidates,
    score_entries,
)

__all__ = [
    "KINDS",
    "Decision",
    "Document",
    "Entry",
    "FieldAgreement",
    "Frequency",
    "Level",
    "MinimumData",
    "NeedsInformation",
    "NeedsReview",
    "NewPerson",
    "NormalisedName",
    "PartialDate",
    "Person",
    "PersonToFile",
    "SamePerson",
    "Scored",
    "Sex",
    "Subject",
    "Thresholds",
    "Verdict",
    "check_claim",
    "completed_fields",
    "date_agreement",
    "decide",
    "explain",
    "explain_candidate",
    "hard_conflicts",
    "info_requested",
    "is_minimum_data_met",
    "judge",
    "minimum_data",
    "name_keys",
    "new_registry_person",
    "normalise_name",
    "number_assigned",
    "parse_birth_date",
    "person_from",
    "phonetic_keys",
    "rejected",
    "review_candidates",
    "review_opened",
    "score",
    "score_all",
    "score_entries",
]
