"""Words the pages show for the services' codes: contracts.labels in the page's language."""

from contracts import label as contract_label
from contracts import labels as contract_labels
from contracts.codes import AGENT_ACTIONS, DOCUMENT_TYPES, EMPLOYMENT_KINDS, SEXES, STATUSES
from gateway.i18n import N_, current_language

FINAL = ("number_assigned", "rejected", "cancelled", "expired")
SORTS = {
    "last_change": N_("Last change"),
    "submitted": N_("Date"),
    "status": N_("Status"),
    "requester": N_("Requester"),
    "worker_name": N_("Name"),
}
STEPS = (
    ("document", N_("Document")),
    ("person", N_("Personal data")),
    ("address", N_("Address")),
    ("send", N_("Send")),
)


def label(group: str, code: str | None) -> str:
    """The words for a code in the page's language (never the raw code)."""
    return contract_label(group, code, current_language())


def labels(group: str, codes) -> list[str]:
    """The words for several codes, each once."""
    return contract_labels(group, codes, current_language())


def choices(group: str, codes) -> dict[str, str]:
    """code → words, in the given order, for a select or radio list."""
    return {code: label(group, code) for code in codes}


def sexes() -> dict[str, str]:
    return choices("sex", SEXES)


def employment_kinds() -> dict[str, str]:
    return choices("employment", EMPLOYMENT_KINDS)


def document_types() -> dict[str, str]:
    return choices("document_type", DOCUMENT_TYPES)


__all__ = ["AGENT_ACTIONS", "FINAL", "SORTS", "STATUSES", "STEPS", "choices", "label", "labels"]
