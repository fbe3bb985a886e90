"""Pure rules of intake: the request lifecycle, the minimum identification data, drafts."""

from intake.domain.drafts import STEPS, StepState, assemble, step_states, steps_of
from intake.domain.identification import MidVerdict, check_minimum_data
from intake.domain.lifecycle import Lifecycle, fingerprint
from intake.domain.people import person_key

__all__ = [
    "STEPS",
    "Lifecycle",
    "MidVerdict",
    "StepState",
    "assemble",
    "check_minimum_data",
    "fingerprint",
    "person_key",
    "step_states",
    "steps_of",
]
