"""problem+json in the caller's language: every code and field error carries a translated text."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from eventing.languages import best_language as language_of
from eventing.problems import PROBLEM_JSON, Problem
from intake.documents import DocumentRefused
from intake.texts import MESSAGES, text

# The HTTP status of a refused upload; any other refusal is 422.
_REFUSAL_STATUS = {"document.too_large": 413, "document.unsupported_type": 415}


def refused(refusal: DocumentRefused) -> Problem:
    """A refused upload as a problem: its key, its (non-personal) parameters."""
    return Problem(
        _REFUSAL_STATUS.get(refusal.code, 422),
        refusal.code,
        text(refusal.code, "en", **refusal.params),
        params=refusal.params,
    )


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """pydantic errors as field path, message key and limits; the input never leaves."""
    return [
        {
            "field": ".".join(str(p) for p in _path(error["loc"])),
            "code": _code(error["type"]),
            "params": _limits(error.get("ctx") or {}),
        }
        for error in errors
    ]


def _path(loc: tuple) -> tuple:
    """The field's path inside the body."""
    return loc[1:] if loc[:1] == ("body",) else loc


def _code(kind: str) -> str:
    """Our own keys as they are; pydantic's under validation.*, unknown ones as invalid."""
    if kind in MESSAGES:
        return kind
    return f"validation.{kind}" if f"validation.{kind}" in MESSAGES else "validation.invalid"


def _limits(ctx: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ctx.items() if isinstance(v, int | float) and not isinstance(v, bool)}


def localised_body(problem: Problem, request: Request) -> dict[str, Any]:
    language = language_of(request.headers.get("accept-language"))
    body = problem.body(request.url.path)
    params = _readable(body.get("params") or {}, language)
    if problem.code in MESSAGES:
        body["message"] = text(problem.code, language, **params)
    for error in body.get("errors", []):
        error["message"] = text(error["code"], language, **(error.get("params") or {}))
    body["language"] = language
    return body


def _readable(params: dict[str, Any], language: str) -> dict[str, Any]:
    """Lists of items (what the MID rule misses) become a translated enumeration."""
    return {
        key: ", ".join(text(f"mid.item.{item}", language) for item in value)
        if isinstance(value, list)
        else value
        for key, value in params.items()
    }


def install_localised_problems(app: FastAPI) -> None:
    """Override eventing's handlers with the same shape plus texts in the caller's language."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return JSONResponse(
            localised_body(exc, request),
            status_code=exc.status,
            media_type=PROBLEM_JSON,
            headers=exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return await _problem(request, invalid(list(exc.errors())))


def invalid(errors: list[dict[str, Any]]) -> Problem:
    return Problem(
        422, "validation.failed", "The request is not valid.", errors=field_errors(errors)
    )


# A batch's result file words the parameters of each row's refusal the same way.
readable_params = _readable
