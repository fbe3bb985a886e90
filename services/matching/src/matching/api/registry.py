"""The agents' registry look-up: search the person registry, every search audited. Agents only.

A POST, so that names and numbers travel in the body, never in a URL or an access log. A person
found here for a case may then be named in that case's "same person" decision.
"""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from eventing.auth import Agent
from eventing.http import Transaction
from matching.api.common import Service, refusing
from matching.domain.agents import RegistryQuery

router = APIRouter(prefix="/registry", tags=["registry"])

Text = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]


class Search(BaseModel):
    model_config = ConfigDict(hide_input_in_errors=True, extra="forbid")

    surnames: Text = ""
    given_names: Text = ""
    birth_date: Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] | None = (
        None
    )
    ssin: Annotated[str, StringConstraints(pattern=r"^\d{11}$")] | None = None
    document_number: (
        Annotated[str, StringConstraints(max_length=40, pattern=r"^[0-9A-Za-z .\-]*$")] | None
    ) = None
    case_id: UUID | None = None  # the review case the agent searches for
    limit: int = Field(default=20, ge=1, le=50)


class Found(BaseModel):
    person_id: int
    ssin: str
    number_type: str
    surnames: str
    given_names: str
    sex: str | None
    birth_date: str | None
    birth_place: str | None
    birth_country: str | None
    nationality: str | None
    weight: float | None  # how well the person matches the query (None: found by number only)


@router.post("/search")
async def search(body: Search, agent: Agent, tx: Transaction, matching: Service) -> list[Found]:
    """Registry persons like the query, best first; the search is kept in the audit trail."""
    query = RegistryQuery(**body.model_dump())
    found = await refusing(matching.search_registry(tx, query, agent_id=agent.subject))
    return [
        Found(
            person_id=e.person_id,
            ssin=e.ssin,
            number_type=e.number_type,
            surnames=e.identity.surnames,
            given_names=e.identity.given_names,
            sex=e.identity.sex,
            birth_date=e.identity.birth_date,
            birth_place=e.identity.birth_place,
            birth_country=e.identity.birth_country,
            nationality=e.identity.nationality,
            weight=weight,
        )
        for e, weight in found
    ]
