"""What a composition root hands to its routes, each through one typed dependency.

    CLOCK: Part[Callable[[], datetime]] = Part("clock")
    Clock = Annotated[Callable[[], datetime], Depends(CLOCK)]
    ...
    provide(app, {CLOCK: clock})

A route that names `Clock` gets the clock; a part nobody provided is a wiring bug, said by name.
"""

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from fastapi import FastAPI, Request
from starlette.requests import HTTPConnection

T = TypeVar("T")


class Part(Generic[T]):
    """A named slot of an app, filled once by `provide`; a FastAPI dependency that reads it."""

    def __init__(self, name: str) -> None:
        self.name = name

    async def __call__(self, request: Request) -> T:
        return self.of(request)

    def of(self, connection: HTTPConnection | FastAPI) -> T:
        """The value provided to this app (from a request, a middleware's scope, or the app)."""
        app = connection if isinstance(connection, FastAPI) else connection.app
        try:
            return app.state.parts[self]
        except (AttributeError, KeyError):
            raise LookupError(f"no {self.name} was provided to this app") from None

    def __repr__(self) -> str:
        return f"Part({self.name!r})"


def provide(app: FastAPI, parts: Mapping[Part[Any], Any]) -> None:
    """Fill these parts of `app` (the only writer of the one slot parts live in)."""
    if not hasattr(app.state, "parts"):
        app.state.parts = {}
    app.state.parts.update(parts)


# The database sessions of a service (eventing.http.Transaction opens one unit of work of them).
SESSIONS: Part = Part("sessions")
