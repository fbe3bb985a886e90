"""Between HTML forms and intake's step bodies: flat dotted names, empty fields left out."""

from typing import Any

import httpx
from starlette.datastructures import FormData

from contracts.codes import PERSON_FIELDS
from gateway.i18n import gettext
from gateway.pages.formats import country_code

PERSON = (*PERSON_FIELDS, "document_number", "document_expiry_date")
ADDRESS = ("country", "street", "number", "box", "postal_code", "city")
UPPER = {"issuing_country", "birth_country", "nationality", "country"}


def _value(form: FormData, name: str) -> str | None:
    raw = form.get(name)
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        return None
    # Country fields take a name from the list (in any of the four languages) or a code.
    return country_code(text) if name.rsplit(".", 1)[-1] in UPPER else text


_NOT_TYPED = frozenset({"csrf_token", "go", "intent", "idempotency_key", "file"})


def typed_anything(form: FormData) -> bool:
    """Whether the person typed or chose anything in the step's fields."""
    return any(
        isinstance(value, str) and value.strip()
        for name, value in form.multi_items()
        if name not in _NOT_TYPED and (name, value) != ("employment", "employee")  # the default
    )


def document_body(form: FormData) -> dict[str, Any]:
    body = {name: _value(form, name) for name in ("type", "issuing_country", "employment")}
    return {k: v for k, v in body.items() if k != "employment" or v is not None}


def person_body(form: FormData) -> dict[str, Any]:
    body = {name: _value(form, name) for name in PERSON}
    return {k: v for k, v in body.items() if v is not None}


def _address(form: FormData, prefix: str) -> dict[str, Any] | None:
    fields = {name: _value(form, f"{prefix}.{name}") for name in ADDRESS}
    fields = {k: v for k, v in fields.items() if v is not None}
    return fields or None


def address_body(form: FormData) -> dict[str, Any]:
    body: dict[str, Any] = {"residence": _address(form, "residence") or {}}
    if contact := _address(form, "contact_address"):
        body["contact_address"] = {"country": "BE", **contact}  # always in Belgium
    if ssin := _value(form, "claimed_ssin"):
        body["claimed_ssin"] = ssin
    return body


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"residence": {"city": "X"}} → {"residence.city": "X"}: the form's field names."""
    flat: dict[str, Any] = {}
    for key, value in (data or {}).items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= flatten(value, f"{name}.")
        else:
            flat[name] = value
    return flat


def problem_errors(
    response: httpx.Response, *, known: set[str]
) -> tuple[dict[str, str], list[str]]:
    """intake's problem+json as (field name → message, messages with no field of this form)."""
    try:
        body = response.json()
    except ValueError:
        return {}, [gettext("Something went wrong.")]
    by_field: dict[str, str] = {}
    general: list[str] = []
    for error in body.get("errors") or []:
        text = error.get("message") or gettext("This value is not valid.")
        field = error.get("field", "")
        if field in known:
            by_field.setdefault(field, text)
        else:
            general.append(text)
    if not body.get("errors"):
        general.append(body.get("message") or body.get("title") or gettext("Something went wrong."))
    return by_field, general
