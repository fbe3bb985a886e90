"""`python -m <service>`: run the service's ASGI app factory with uvicorn.

`python -m <service> outbox replay --since TIME` (or `idpro-<service> outbox replay …`) instead
publishes again every event of the service's outbox created since TIME (ISO 8601, or an age such
as 30m, 2h, 1d): the running relay sends them, consumers' inboxes drop what they already had.
"""

import argparse
import asyncio
import re
import sys
from datetime import UTC, datetime, timedelta

import uvicorn
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine

from eventing.config import ServiceSettings
from eventing.outbox import notify_channel
from eventing.replay import replay_since
from eventing.tables import define_plumbing_tables


def main(factory: str, settings_class: type[ServiceSettings]) -> None:
    if sys.argv[1:2] == ["outbox"]:
        sys.exit(outbox_command(sys.argv[2:], settings_class()))
    settings = settings_class()
    uvicorn.run(
        factory,
        factory=True,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        timeout_graceful_shutdown=20,
    )


def parse_since(value: str, *, now: datetime | None = None) -> datetime:
    """An ISO 8601 time (UTC when it names no zone) or an age: 90s, 30m, 2h, 1d."""
    now = now or datetime.now(UTC)
    if match := re.fullmatch(r"(\d+(?:\.\d+)?)([smhd])", value.strip()):
        unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[match[2]]
        return now - timedelta(**{unit: float(match[1])})
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError("expected an ISO 8601 time or an age like 30m") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def outbox_command(argv: list[str], settings: ServiceSettings) -> int:
    parser = argparse.ArgumentParser(prog=f"idpro-{settings.service_name} outbox")
    commands = parser.add_subparsers(dest="command", required=True)
    replay = commands.add_parser("replay", help="publish again every event created since a time")
    replay.add_argument("--since", required=True, type=parse_since, help="ISO 8601 or 30m/2h/1d")
    args = parser.parse_args(argv)
    count = asyncio.run(_replay(settings, args.since))
    print(
        f"{settings.service_name}: {count} events since {args.since.isoformat()} to publish again"
    )
    return 0


async def _replay(settings: ServiceSettings, since: datetime) -> int:
    outbox, _ = define_plumbing_tables(MetaData())
    engine = create_async_engine(settings.database_url.get_secret_value())
    try:
        async with engine.begin() as conn:
            return await replay_since(conn, outbox, notify_channel(settings.service_name), since)
    finally:
        await engine.dispose()
