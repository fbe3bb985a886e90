"""matching's one repository: the registry, candidate search, BIS numbers, decisions and cases.

The service reaches the database only through the names below.
"""

from matching.repository.bis import allocate_for_request, load_ssin
from matching.repository.cases import (
    audit,
    claim,
    close,
    close_open_cases,
    is_settled,
    load_audit,
    load_case,
    load_open_cases,
    lock_creation,
    save_case,
    save_decision,
    save_lookup,
    settled_else_lock,
    was_found_by,
)
from matching.repository.frequencies import TermFrequencies
from matching.repository.models import Models, load_labels, save_labels, save_model
from matching.repository.registry import (
    count_persons,
    load_entries,
    load_entry_by_ssin,
    save_person,
)
from matching.repository.search import find_candidate_ids

__all__ = [
    "Models",
    "TermFrequencies",
    "allocate_for_request",
    "audit",
    "claim",
    "close",
    "close_open_cases",
    "count_persons",
    "find_candidate_ids",
    "is_settled",
    "load_audit",
    "load_case",
    "load_entries",
    "load_entry_by_ssin",
    "load_labels",
    "load_open_cases",
    "load_ssin",
    "lock_creation",
    "save_case",
    "save_decision",
    "save_labels",
    "save_lookup",
    "settled_else_lock",
    "save_model",
    "save_person",
    "was_found_by",
]
