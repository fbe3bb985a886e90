"""What the employer may type into each step of the wizard."""

from intake.validation.steps import (
    AddressStep,
    AmendmentSubmit,
    DirectSubmit,
    DocumentStep,
    PersonStep,
    SubmitStep,
)

__all__ = [
    "AddressStep",
    "AmendmentSubmit",
    "DirectSubmit",
    "DocumentStep",
    "PersonStep",
    "SubmitStep",
]
