"""Pure matching decisions: normalise names, score candidates, decide. No I/O."""

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
from matching.domain.levels import Level
from matching.domain.normalise import NormalisedName, normalise_name, phonetic_keys
from matching.domain.person import Person, Sex
from matching.domain.scoring import FieldAgreement, Frequency, Scored, score, score_all

__all__ = [
    "Decision",
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
    "SamePerson",
    "Scored",
    "Sex",
    "Thresholds",
    "date_agreement",
    "decide",
    "hard_conflicts",
    "is_minimum_data_met",
    "minimum_data",
    "normalise_name",
    "parse_birth_date",
    "phonetic_keys",
    "score",
    "score_all",
]
