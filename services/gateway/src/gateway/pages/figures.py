"""The back office's figures page: matching's GET /review/metrics, charted. Agents and their
managers only."""

from collections import defaultdict

from babel.numbers import format_percent
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from gateway.i18n import current_language, gettext
from gateway.pages.charts import COLUMN_AREA, LABEL_ROOM, bars, columns, share
from gateway.pages.common import Api, BackOfficeUser, render
from gateway.pages.formats import LOCALES, format_day
from gateway.pages.labels import label

router = APIRouter()
PERIODS = (7, 30, 90)
# A first decision's outcome, in the words the portal uses for it.
_OUTCOME = {
    "national_register": ("number_kind", "national_register"),
    "existing_bis": ("number_kind", "existing_bis"),
    "new_bis": ("number_kind", "new_bis"),
    "rejected": ("status", "rejected"),
    "review": ("status", "under_review"),
    "info_requested": ("status", "information_requested"),
}


@router.get("/review/metrics", response_class=HTMLResponse)
async def figures(request: Request, user: BackOfficeUser, api: Api, days: int = 30) -> HTMLResponse:
    days = days if days in PERIODS else 30
    found = await api.json("matching", "/review/metrics", params={"days": days})
    return render(
        request,
        "review_metrics.html",
        days=days,
        periods=PERIODS,
        figures=found,
        at_once=_percent(found["answered_at_once"]),
        outcomes=bars(
            (label(*_OUTCOME.get(code, ("status", code))), count)
            for code, count in sorted(found["answered_at_once"]["by_outcome"].items())
        ),
        reasons=bars(
            (label("review_reason", code), count)
            for code, count in found["research_reasons"].items()
        ),
        information=_information(found["information_requests"]),
        per_day=columns(_per_day(found["decisions_per_agent_day"])),
        area=COLUMN_AREA,
        label_room=LABEL_ROOM,
        agents=_per_agent(found["decisions_per_agent_day"]),
        delays={label("review_reason", r): d for r, d in found["expected_delay_days"].items()},
    )


def _percent(counted: dict) -> str:
    """The share answered at once as the language writes a percentage (12,5 %, 12.5%)."""
    value = share(counted["at_once"], counted["requests"])
    locale = LOCALES[current_language()]
    return "—" if value is None else format_percent(value / 100, "#,##0.0 %", locale=locale)


def _information(counts: dict) -> list:
    return bars(
        [
            (gettext("Answered"), counts["answered"]),
            (gettext("Expired"), counts["expired"]),
            (gettext("Still waiting"), counts["waiting"]),
        ]
    )


def _per_day(rows: list[dict]) -> list[tuple[str, int]]:
    """Decisions of every agent per day, oldest first, the day as the language writes it."""
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[row["day"]] += row["decisions"]
    return [(format_day(day), totals[day]) for day in sorted(totals)]


def _per_agent(rows: list[dict]) -> list[dict]:
    """One row per agent and day, newest day first (as matching lists them)."""
    return [{**row, "day_text": format_day(row["day"])} for row in rows]
