"""intake's HTTP API: the draft wizard, documents, requests, and the message catalogue."""

from intake.api import batches, documents, drafts, messages, mrz, requests, submit
from intake.api.problems import install_localised_problems

# The catalogue first: /drafts/messages must not be read as a draft id.
ROUTERS = (
    messages.router,
    drafts.router,
    documents.router,
    submit.router,
    requests.router,
    mrz.router,
    batches.router,
)

__all__ = ["ROUTERS", "install_localised_problems"]
