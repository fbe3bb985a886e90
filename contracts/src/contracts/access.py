"""Who may do what with an employer's requests: the one rule of intake, history, notifier and the portal.

- Every user of an employer (requester or admin) reads the company's whole history: every
  request, its timeline, its e-mails' delivery (the brochure's "one history, sortable by
  requester").
- Writing on a request (cancelling it, answering an information request, any later change)
  belongs to its requester and to the employer's admins.
- A draft belongs to its author alone, admins included: it is work not yet sent.

The tenant (the employer) is settled before these questions: each service filters its rows on
the token's employer, so another employer's request never reaches them. Agents work through
the back office's own routes and hold none of these rights.
"""

from collections.abc import Collection

EMPLOYER_ROLES = frozenset({"requester", "admin"})


def may_read(roles: Collection[str]) -> bool:
    """The company's history, any of its requests, their timelines and deliveries."""
    return bool(EMPLOYER_ROLES.intersection(roles))


def may_write(roles: Collection[str], subject: str, *, requester_id: str | None) -> bool:
    """Cancel, answer an information request, or change a request in any way."""
    if "admin" in roles:
        return True
    return "requester" in roles and requester_id is not None and subject == requester_id


def may_use_draft(roles: Collection[str], subject: str, *, author_id: str) -> bool:
    """Read, fill, upload to, delete or send a draft."""
    return may_read(roles) and subject == author_id
