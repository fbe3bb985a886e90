"""Words the pages show for the services' codes (translated where shown)."""

from gateway.i18n import N_

STATUSES = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "under_review": N_("Under research"),
    "information_requested": N_("Information requested"),
    "number_assigned": N_("Number assigned"),
    "rejected": N_("Rejected"),
    "cancelled": N_("Cancelled"),
}
FINAL = ("number_assigned", "rejected", "cancelled")
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
DOCUMENT_TYPES = {
    "passport": N_("Passport"),
    "identity_card": N_("National identity card"),
    "driving_licence": N_("Driving licence"),
}
SEXES = {"female": N_("Female"), "male": N_("Male"), "unknown": N_("Unknown")}
REVIEW_REASONS = {
    "ambiguous_candidates": N_("Several candidates are close"),
    "document_doubt": N_("The document raises a doubt"),
    "conflicting_evidence": N_("The best candidate disagrees on a key field"),
    "uncertain_match": N_("A candidate is likely but not certain"),
    "claimed_ssin_differs": N_("The number given points to another person"),
    "claimed_ssin_not_confirmed": N_("The number given could not be confirmed"),
    "claimed_ssin_unknown": N_("The number given is not in the registry"),
}
AGREEMENT = {
    "exact": N_("agrees"),
    "agree": N_("agrees"),
    "partial": N_("partly agrees"),
    "disagree": N_("disagrees"),
    "missing": N_("missing"),
}
FIELDS = {
    "surnames": N_("Surname(s)"),
    "given_names": N_("Given names"),
    "sex": N_("Sex"),
    "birth_date": N_("Date of birth"),
    "birth_place": N_("Place of birth"),
    "birth_country": N_("Country of birth"),
    "nationality": N_("Nationality"),
}
DECISIONS = {
    "same_person": N_("Same person as this candidate"),
    "new_person": N_("New person: allocate a BIS number"),
    "request_information": N_("Ask the employer for information"),
    "reject": N_("Reject the request"),
}
