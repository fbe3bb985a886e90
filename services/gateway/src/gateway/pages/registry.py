"""The agents' registry look-up: search the registry (audited in matching), use a person found
for the case at hand. Names and numbers go in the POST body, never in the URL."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from gateway.i18n import gettext
from gateway.pages.common import AgentUser, Api, Csrf, render

router = APIRouter()
FIELDS = ("surnames", "given_names", "birth_date", "ssin", "document_number")


@router.get("/registry", response_class=HTMLResponse)
async def registry(request: Request, user: AgentUser, case: UUID | None = None) -> HTMLResponse:
    return render(request, "registry.html", case_id=case, query={}, found=None, error=None)


@router.post("/registry", response_class=HTMLResponse, dependencies=[Csrf])
async def search(
    request: Request,
    user: AgentUser,
    api: Api,
    surnames: Annotated[str, Form(max_length=200)] = "",
    given_names: Annotated[str, Form(max_length=200)] = "",
    birth_date: Annotated[str, Form(max_length=10)] = "",
    ssin: Annotated[str, Form(max_length=20)] = "",
    document_number: Annotated[str, Form(max_length=40)] = "",
    case_id: Annotated[str, Form(max_length=36)] = "",
) -> HTMLResponse:
    """Ask matching; show what it found, or why it refused the query."""
    values = [
        surnames,
        given_names,
        birth_date,
        ssin.replace(".", "").replace("-", ""),
        document_number,
    ]
    query = {
        name: value.strip() for name, value in zip(FIELDS, values, strict=True) if value.strip()
    }
    case = _case(case_id)
    context = {
        "case_id": case,
        "query": query,
        "found": None,
        "error": None,
    }
    if not query:
        context["error"] = gettext("Give at least a name, a number or a document number.")
        return render(request, "registry.html", status=422, **context)
    body = {**query, **({"case_id": str(case)} if case else {})}
    response = await api.call("matching", "POST", "/registry/search", json=body)
    if response.status_code != 200:
        context["error"] = gettext("This search was refused: check the birth date and the numbers.")
        return render(request, "registry.html", status=response.status_code, **context)
    context["found"] = response.json()
    return render(request, "registry.html", **context)


def _case(value: str) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None
