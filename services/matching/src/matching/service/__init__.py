"""matching's use cases: decide a request, close a cancelled one, and the agents' review queue.

Handlers and routes call this package only; it calls the pure domain and the repository. Every
outcome, automatic or an agent's, records its decision and stages its event in the caller's
transaction, so state and event commit together.
"""

from matching.domain.agents import AgentAction
from matching.service.figures import back_office_figures
from matching.service.use_cases import CaseDetail, CaseRefused, Matching
from matching.tables import ReviewCase

__all__ = [
    "AgentAction",
    "CaseDetail",
    "CaseRefused",
    "Matching",
    "ReviewCase",
    "back_office_figures",
]
