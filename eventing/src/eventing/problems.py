"""RFC 9457 problem+json for every error; input values are never echoed (they may be personal data)."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eventing.logs import get_logger
from eventing.transient import RETRY_AFTER_S, is_transient

log = get_logger("eventing.http")
PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """An error the client can act on: a status, a stable code (a message key) and field errors."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(code)
        self.status, self.code, self.title = status, code, title
        self.errors, self.headers, self.extra = errors or [], headers or {}, extra

    def body(self, instance: str) -> dict[str, Any]:
        body = {
            "type": f"urn:idpro:problem:{self.code}",
            "title": self.title,
            "status": self.status,
            "code": self.code,
            "instance": instance,
            **self.extra,
        }
        if self.errors:
            body["errors"] = self.errors
        return body


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """pydantic errors as field path + message key, without the rejected input."""
    return [
        {
            "field": ".".join(str(part) for part in _declared_path(error)),
            "code": f"validation.{error['type']}",
            "message": "Invalid value." if _may_echo_input(error) else error["msg"],
            **({"ctx": _safe_ctx(error["ctx"])} if error.get("ctx") else {}),
        }
        for error in errors
    ]


def _declared_path(error: dict[str, Any]) -> tuple[Any, ...]:
    """The path up to what the schema declares: an unknown key or a mapping's key is the
    client's text (it may be a name), so the error stops at the object holding it."""
    loc = tuple(error["loc"])
    if "[key]" in loc:
        return loc[: loc.index("[key]") - 1]
    if error["type"] == "extra_forbidden":
        return loc[:-1]
    return loc


def _may_echo_input(error: dict[str, Any]) -> bool:
    """A message made of a validator's or parser's own text (`ctx["error"]`) may quote the input."""
    ctx = error.get("ctx") or {}
    return error["type"] in {"value_error", "assertion_error"} or "error" in ctx


def _safe_ctx(ctx: dict[str, Any]) -> dict[str, Any]:
    """Only limits (numbers, patterns) survive: an error object may carry the input."""
    return {k: v for k, v in ctx.items() if isinstance(v, int | float) or k == "pattern"}


def problem_response(problem: Problem, request: Request) -> JSONResponse:
    return JSONResponse(
        problem.body(request.url.path),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=problem.headers,
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Replace FastAPI's default handlers: its 422 body echoes the input."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problem = Problem(
            422,
            "validation.failed",
            "The request is not valid.",
            errors=field_errors(list(exc.errors())),
        )
        return problem_response(problem, request)

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
        if not _is_bad_input(exc):
            raise exc
        # A field no validator bounded: the database refused its value (a NUL, past bigint).
        log.warning("http.value_refused_by_database", path=request.url.path)
        problem = Problem(
            422, "validation.unstorable_value", "A value is out of range or cannot be stored."
        )
        return problem_response(problem, request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "request.too_large"}.get(
            exc.status_code, "http_error"
        )
        return problem_response(Problem(exc.status_code, code, str(exc.detail)), request)

    app.add_middleware(UnexpectedErrors)


def _is_bad_input(exc: BaseException) -> bool:
    """PostgreSQL's class 22 (data exception) or asyncpg's own refusal of an argument."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        if str(getattr(seen, "sqlstate", "") or "").startswith("22"):
            return True
        if type(seen).__name__ == "DataError":
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False


class AnsweringFaults:
    """ASGI middleware base: an exception raised before the answer started is answered by
    `answer`; once half an answer is out, only dropping the connection is left (re-raised).

    Subclasses choose which requests they take (`takes`), may note every fault (`noted`, also
    those raised after the answer started) and write the answer.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def takes(self, scope: Scope) -> bool:
        return scope["type"] == "http"

    def noted(self, exc: Exception, scope: Scope) -> None:
        """Called for every fault, before the answer."""

    async def answer(self, exc: Exception, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.takes(scope):
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            self.noted(exc, scope)
            if started:
                raise
            await self.answer(exc, scope, receive, send)


class UnexpectedErrors(AnsweringFaults):
    """An unhandled exception becomes a 500 problem that closes its connection; a database or
    broker that is away (eventing.transient) a 503 with Retry-After.

    Starlette's own handler for `Exception` re-raises after answering, and uvicorn then drops
    the socket without saying so: a client that pooled the connection (the gateway) gave its
    next caller a 502. Here the error is answered and not re-raised, with `Connection: close`.
    """

    def noted(self, exc: Exception, scope: Scope) -> None:
        transient = is_transient(exc)
        (log.warning if transient else log.error)(
            "http.unavailable" if transient else "http.unexpected_error",
            error_class=type(exc).__name__,
            path=scope["path"],
        )

    async def answer(self, exc: Exception, scope: Scope, receive: Receive, send: Send) -> None:
        problem = unavailable() if is_transient(exc) else Problem(
            500, "internal_error", "Something went wrong.", headers={"Connection": "close"}
        )  # fmt: skip
        await problem_response(problem, Request(scope))(scope, receive, send)


def unavailable() -> Problem:
    """The database or the broker is away: nothing was decided, the same call may be repeated."""
    return Problem(
        503,
        "service.unavailable",
        "The service is briefly unavailable; try again.",
        headers={"Retry-After": str(RETRY_AFTER_S), "Connection": "close"},
    )
