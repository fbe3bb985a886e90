"""intake's composition root: its parts, built and wired in one place."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import FastAPI

from eventing.buckets import Limit
from eventing.database import Database
from eventing.http import service_app
from eventing.messaging import Messaging
from eventing.workers import Workers
from intake.api import ROUTERS, common, install_localised_problems
from intake.api.uploads import Decoder
from intake.batching import BatchWorker
from intake.config import IntakeSettings
from intake.deadlines import DeadlineWorker
from intake.handlers import HANDLERS
from intake.mrz.worker import MrzWorker
from intake.quota import DecodeQuota
from intake.reconciler import Reconciler
from intake.retention import RetentionWorker, utc_now
from intake.status_watch import StatusChanges
from intake.tables import Base


@dataclass(frozen=True, kw_only=True)
class Intake:
    """The parts of one intake process (tests drive a worker or read the database through them)."""

    settings: IntakeSettings
    database: Database
    messaging: Messaging
    retention: RetentionWorker
    deadlines: DeadlineWorker
    batches: BatchWorker
    mrz: MrzWorker
    status_changes: StatusChanges
    app: FastAPI


def compose(settings: IntakeSettings, *, clock: Callable[[], datetime] = utc_now) -> Intake:
    database = Database(settings, metadata=Base.metadata)
    messaging = Messaging(settings, service="intake", database=database)
    messaging.consume(HANDLERS, batched=True)
    retention = RetentionWorker(
        database.sessions,
        retention=timedelta(days=settings.retention_days),
        interval_s=settings.retention_interval_s,
        batch_size=settings.retention_batch_size,
        clock=clock,
    )
    reconciler = Reconciler(
        database.engine,
        database.outbox_table,
        database.outbox.channel,
        redrive_after=timedelta(seconds=settings.redrive_after_s),
        interval_s=settings.redrive_interval_s,
    )
    status_changes = StatusChanges(database.engine.url, max_waiters=settings.max_status_waiters)
    mrz = MrzWorker(
        database.sessions,
        clock=clock,
        concurrency=settings.mrz_concurrency,
        timeout_s=settings.mrz_timeout_s,
    )
    deadlines = DeadlineWorker(
        database.sessions,
        database.outbox,
        reminder_after=timedelta(days=settings.info_reminder_days),
        expiry_after=settings.info_expiry,
        interval_s=settings.deadlines_interval_s,
        clock=clock,
    )
    batches = BatchWorker(database.sessions, database.outbox, clock=clock)
    workers = Workers(*messaging.loops(), database.purge(), retention, reconciler, status_changes)
    if settings.mrz_enabled:
        workers.add(mrz)
    workers.add(deadlines)
    workers.add(batches)
    app = service_app(
        settings,
        database=database,
        messaging=messaging,
        workers=workers,
        title="idpro intake",
        routers=ROUTERS,
        provide_parts=_parts(settings, database, clock, mrz, status_changes, batches),
    )
    install_localised_problems(app)
    return Intake(
        settings=settings,
        database=database,
        messaging=messaging,
        retention=retention,
        deadlines=deadlines,
        batches=batches,
        mrz=mrz,
        status_changes=status_changes,
        app=app,
    )


def _parts(settings, database, clock, mrz, status_changes, batches) -> dict:
    """What intake's routes take (intake.api.common)."""
    quota = Limit(
        per_minute=settings.decode_quota_mb_per_hour / 60, burst=settings.decode_quota_burst_mb
    )
    return {
        common.OUTBOX: database.outbox,
        common.SETTINGS: settings,
        common.CLOCK: clock,
        common.DECODER: Decoder(settings.limits(), concurrency=settings.max_concurrent_decodes),
        common.QUOTA: DecodeQuota(database.engine, quota),
        common.MRZ: mrz,
        common.STATUS_CHANGES: status_changes,
        common.BATCHES: batches,
    }


def create_app(
    settings: IntakeSettings | None = None, *, clock: Callable[[], datetime] = utc_now
) -> FastAPI:
    return compose(settings or IntakeSettings(), clock=clock).app
