"""What an agent asks of matching: a decision on a case, a look-up of the registry. Pure data."""

from dataclasses import dataclass
from uuid import UUID

from matching.domain.person import Person


@dataclass(frozen=True)
class AgentAction:
    """What an agent decided on a case, and why."""

    action: str  # same_person | new_person | request_information | reject
    reason: str
    person_id: int | None = None
    message: str | None = None
    missing: tuple[str, ...] = ()
    reason_code: str = "agent_rejected"


@dataclass(frozen=True)
class RegistryQuery:
    """What an agent looks the registry up by (any of it), and the case it is for."""

    surnames: str = ""
    given_names: str = ""
    birth_date: str | None = None
    ssin: str | None = None
    document_number: str | None = None
    case_id: UUID | None = None
    limit: int = 20

    def person(self) -> Person:
        return Person(
            surnames=self.surnames,
            given_names=self.given_names,
            birth_date=self.birth_date,
            document_number=self.document_number,
        )

    def audited(self) -> dict:
        """The query as the audit trail keeps it."""
        fields = ("surnames", "given_names", "birth_date", "ssin", "document_number")
        return {f: getattr(self, f) for f in fields if getattr(self, f)}
