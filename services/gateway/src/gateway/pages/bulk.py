"""Bulk requests in the portal: upload a CSV, map its columns to the fields, follow the batch.

intake does the work (POST /batches validates every row like one request and makes the accepted
ones ordinary requests); these pages read the file's header row to pre-fill the mapping, carry
the file from the upload to the mapping form (in the form itself, compressed: no server state),
then show the batch's progress and its per-row result file in the user's language.
"""

import base64
import binascii
import csv
import gzip
import io
import json
from uuid import UUID

from babel.numbers import format_decimal
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from gateway.i18n import N_, current_language, gettext
from gateway.pages import forms
from gateway.pages.common import Api, Csrf, Employer, LargeCsrf, PageError, render

router = APIRouter()
MAX_BYTES = 8 * 1024 * 1024  # intake's bound on a batch (intake.api.batches.MAX_BATCH_BYTES)
MAX_ROWS = 10_000  # intake's bound (intake.domain.batches.MAX_ROWS)
MAX_COLUMNS = 60

# An address's parts with the wizard's words (the Belgian contact address has no country).
_ADDRESS = (
    ("street", N_("Street")),
    ("number", N_("Number")),
    ("box", N_("Box")),
    ("postal_code", N_("Postal code")),
    ("city", N_("City")),
)


def _address(prefix: str, parts: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((prefix + name, text) for name, text in parts)


# intake's flat fields (intake.domain.batches.PATHS), grouped as the single-request wizard asks
# them, with that wizard's words.
GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        N_("Personal data"),
        (
            ("surnames", N_("Surname(s)")),
            ("given_names", N_("Given names")),
            ("sex", N_("Sex")),
            ("birth_date", N_("Date of birth")),
            ("birth_place", N_("Place of birth")),
            ("birth_country", N_("Country of birth")),
            ("nationality", N_("Nationality")),
        ),
    ),
    (
        N_("Document"),
        (
            ("document_type", N_("Type of document")),
            ("document_number", N_("Document number")),
            ("document_issuing_country", N_("Issuing country")),
            ("document_expiry_date", N_("Expiry date of the document")),
        ),
    ),
    (
        N_("Official residence"),
        _address("residence_", (*_ADDRESS, ("country", N_("Country")))),
    ),
    (
        N_("Contact address in Belgium (only when the residence is abroad; optional)"),
        _address("contact_", _ADDRESS),
    ),
    (
        N_("Other"),
        (
            ("claimed_ssin", N_("INSZ/NISS already known (optional)")),
            ("notification_email", N_("E-mail address for news about this request")),
            ("language", N_("Language")),
        ),
    ),
)
FIELDS = {name: text for _, fields in GROUPS for name, text in fields}
# What a request cannot go without; the e-mail and the language may come from the defaults.
REQUIRED = ("surnames", "residence_country", "residence_city")
DEFAULTABLE = ("notification_email", "language")
LANGUAGE_CHOICES = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}
STATUSES = {"processing": N_("Running"), "done": N_("Finished")}


def max_rows() -> str:
    """10,000 as the user's language writes it (10 000, 10.000)."""
    return format_decimal(MAX_ROWS, locale=current_language())


class Refused(Exception):
    """The file cannot be a batch: why, in the user's words."""


def _normal(text: str) -> str:
    """A column name as compared: letters and digits only, a plural as its singular."""
    return "".join(c for c in text.lower() if c.isalnum()).removesuffix("s")


def read_header(raw: bytes) -> tuple[list[str], int]:
    """The file's column names and its number of rows; Refused when it is no usable CSV."""
    if not raw:
        raise Refused(gettext("The file is empty."))
    if len(raw) > MAX_BYTES:
        raise Refused(gettext("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // 2**20})
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused(gettext("This is not a CSV file in UTF-8.")) from None
    if "\x00" in text:
        raise Refused(gettext("This is not a CSV file in UTF-8."))
    first = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text, newline=""), dialect)
    header = [h.strip() for h in next(rows, [])]
    if len([h for h in header if h]) < 2 or len(header) > MAX_COLUMNS:
        raise Refused(gettext("The first row of a CSV file names its columns, one per field."))
    count = sum(1 for row in rows if any(cell.strip() for cell in row))
    if count == 0:
        raise Refused(gettext("The file has no row under its header."))
    if count > MAX_ROWS:
        raise Refused(gettext("A batch has at most %(rows)s rows.") % {"rows": max_rows()})
    return [h for h in header if h], count


def guess(header: list[str]) -> dict[str, str]:
    """The mapping the header suggests: a column named as the field, or as its words here.

    A column is taken once, by the first field it names: "City" is the residence's, not also
    the contact address's (a contact address of one city alone is refused)."""
    by_name = {_normal(h): h for h in header}
    mapping: dict[str, str] = {}
    for field, text in FIELDS.items():
        for candidate in (field, gettext(text)):
            column = by_name.get(_normal(candidate))
            if column is not None and column not in mapping.values():
                mapping[field] = column
                break
    return mapping


def pack(raw: bytes) -> str:
    return base64.urlsafe_b64encode(gzip.compress(raw, compresslevel=6)).decode()


def unpack(packed: str) -> bytes:
    try:
        return gzip.decompress(base64.urlsafe_b64decode(packed.encode()))[: MAX_BYTES + 1]
    except (ValueError, binascii.Error, OSError, EOFError):
        raise Refused(gettext("Choose the file again.")) from None


def mapping_page(
    request: Request,
    *,
    packed: str,
    name: str,
    header: list[str],
    rows: int,
    mapping: dict[str, str],
    defaults: dict[str, str],
    errors: dict[str, str] | None = None,
    general: list[str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "bulk_mapping.html",
        status=status,
        packed=packed,
        name=name,
        header=header,
        rows=rows,
        mapping=mapping,
        defaults=defaults,
        groups=GROUPS,
        required=REQUIRED,
        languages=LANGUAGE_CHOICES,
        errors=errors or {},
        general=general or [],
    )


async def upload_page(
    request: Request, api: Api, *, error: str | None = None, status: int = 200
) -> HTMLResponse:
    batches = await api.json("intake", "/batches")
    return render(
        request,
        "bulk.html",
        status=status,
        batches=batches[:20],
        statuses=STATUSES,
        error=error,
        max_rows=max_rows(),
    )


@router.get("/bulk", response_class=HTMLResponse)
async def start(request: Request, user: Employer, api: Api) -> HTMLResponse:
    """The upload form and the company's recent batches."""
    return await upload_page(request, api)


@router.post("/bulk", dependencies=[Csrf], response_class=HTMLResponse)
async def upload(request: Request, user: Employer, api: Api) -> HTMLResponse:
    """The chosen file read for its header: the mapping form, pre-filled."""
    form = await request.form()
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        return await upload_page(request, api, error=gettext("Choose a CSV file."), status=422)
    raw = await file.read(MAX_BYTES + 1)
    try:
        header, rows = read_header(raw)
    except Refused as refused:
        return await upload_page(request, api, error=str(refused), status=422)
    defaults = {"language": current_language()}
    return mapping_page(
        request,
        packed=pack(raw),
        name=file.filename[:120],
        header=header,
        rows=rows,
        mapping=guess(header),
        defaults=defaults,
    )


def _chosen(form: FormData, header: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    mapping = {}
    for field in FIELDS:
        column = form.get(f"map.{field}")
        if isinstance(column, str) and column in header:
            mapping[field] = column
    defaults = {}
    for field in DEFAULTABLE:
        value = form.get(f"default.{field}")
        if isinstance(value, str) and value.strip():
            defaults[field] = value.strip()
    if defaults.get("language") not in LANGUAGE_CHOICES:
        defaults.pop("language", None)
    return mapping, defaults


def _missing(mapping: dict[str, str], defaults: dict[str, str]) -> dict[str, str]:
    """Each field a request needs that neither a column nor a default gives."""
    errors = {}
    for field in (*REQUIRED, *DEFAULTABLE):
        if field not in mapping and field not in defaults:
            errors[f"map.{field}"] = gettext("Choose the column for “%(field)s”.") % {
                "field": gettext(FIELDS[field])
            }
    return errors


@router.post("/bulk/send", dependencies=[LargeCsrf], response_class=HTMLResponse)
async def send(request: Request, user: Employer, api: Api) -> Response:
    """The file and its mapping to intake: a batch, processed in the background."""
    form = await request.form()
    name = str(form.get("name") or "workers.csv")[:120]
    try:
        raw = unpack(str(form.get("packed") or ""))
        header, rows = read_header(raw)
    except Refused as refused:
        return await upload_page(request, api, error=str(refused), status=422)
    mapping, defaults = _chosen(form, header)
    shown = {"packed": str(form.get("packed")), "name": name, "header": header, "rows": rows}
    if errors := _missing(mapping, defaults):
        return mapping_page(
            request, **shown, mapping=mapping, defaults=defaults, errors=errors, status=422
        )
    response = await api.call(
        "intake",
        "POST",
        "/batches",
        params={"mapping": json.dumps(mapping), "defaults": json.dumps(defaults)},
        files={"file": (name, raw, "text/csv")},
    )
    if response.status_code in (200, 202):
        return RedirectResponse(f"/bulk/{response.json()['id']}", status_code=303)
    if response.status_code in (413, 422):
        _, general = forms.problem_errors(response, known=set())
        return mapping_page(
            request, **shown, mapping=mapping, defaults=defaults, general=general, status=422
        )
    raise PageError(response.status_code, gettext("This action is not allowed."))


def progress_of(batch: dict) -> dict:
    """What the batch page and its poll show: the counts and the share done."""
    total, done = batch["total"], batch["processed"]
    return {
        "status": batch["status"],
        "status_label": gettext(STATUSES.get(batch["status"], N_("Running"))),
        "total": total,
        "processed": done,
        "accepted": batch["accepted"],
        "refused": batch["refused"],
        "pending": max(0, total - done),
        "percent": 100 if not total else round(100 * done / total),
        "done": batch["status"] == "done",
    }


@router.get("/bulk/{batch_id}", response_class=HTMLResponse)
async def batch(request: Request, batch_id: UUID, user: Employer, api: Api) -> HTMLResponse:
    shown = await api.json("intake", f"/batches/{batch_id}")
    progress = progress_of(shown)
    refused = []
    if progress["done"] and progress["refused"]:
        rows = await api.json("intake", f"/batches/{batch_id}/results")
        refused = [r for r in rows if r["status"] == "refused"][:50]
    return render(request, "bulk_batch.html", batch=shown, progress=progress, refused=refused)


@router.get("/bulk/{batch_id}/progress")
async def progress(batch_id: UUID, user: Employer, api: Api) -> JSONResponse:
    """The counts, for the page's poll (app.js) once a second."""
    return JSONResponse(progress_of(await api.json("intake", f"/batches/{batch_id}")))


@router.get("/bulk/{batch_id}/results.csv")
async def results(batch_id: UUID, user: Employer, api: Api) -> Response:
    """The per-row result file, in the user's language."""
    response = await api.call(
        "intake",
        "GET",
        f"/batches/{batch_id}/results",
        params={"format": "csv", "lang": current_language()},
    )
    if response.status_code != 200:
        raise PageError(response.status_code, gettext("This page does not exist."))
    return Response(
        response.content,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="batch-{batch_id}-results.csv"',
            "Cache-Control": "private, no-store",
        },
    )
