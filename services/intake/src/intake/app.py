"""intake's composition root."""

from collections.abc import Callable
from datetime import datetime, timedelta

from fastapi import FastAPI

from eventing.buckets import Limit
from eventing.runtime import ServiceRuntime
from intake.api import ROUTERS, install_localised_problems
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


def create_app(
    settings: IntakeSettings | None = None, *, clock: Callable[[], datetime] = utc_now
) -> FastAPI:
    settings = settings or IntakeSettings()
    runtime = ServiceRuntime(settings, metadata=Base.metadata)
    runtime.consume(HANDLERS, batched=True)
    retention = RetentionWorker(
        runtime.sessions,
        retention=timedelta(days=settings.retention_days),
        interval_s=settings.retention_interval_s,
        batch_size=settings.retention_batch_size,
        clock=clock,
    )
    runtime.add_worker(retention)
    runtime.add_worker(
        Reconciler(
            runtime.engine,
            runtime.outbox_table,
            runtime.outbox.channel,
            redrive_after=timedelta(seconds=settings.redrive_after_s),
            interval_s=settings.redrive_interval_s,
        )
    )
    status_changes = StatusChanges(runtime.engine.url, max_waiters=settings.max_status_waiters)
    runtime.add_worker(status_changes)
    mrz = MrzWorker(
        runtime.sessions,
        clock=clock,
        concurrency=settings.mrz_concurrency,
        timeout_s=settings.mrz_timeout_s,
    )
    if settings.mrz_enabled:
        runtime.add_worker(mrz)
    deadlines = DeadlineWorker(
        runtime.sessions,
        runtime.outbox,
        reminder_after=timedelta(days=settings.info_reminder_days),
        expiry_after=settings.info_expiry,
        interval_s=settings.deadlines_interval_s,
        clock=clock,
    )
    runtime.add_worker(deadlines)
    batches = BatchWorker(runtime.sessions, runtime.outbox, clock=clock)
    runtime.add_worker(batches)
    app = runtime.http_app(title="idpro intake", routers=ROUTERS)
    install_localised_problems(app)
    app.state.clock = clock
    app.state.decoder = Decoder(settings.limits(), concurrency=settings.max_concurrent_decodes)
    app.state.quota = DecodeQuota(
        runtime.engine,
        Limit(
            per_minute=settings.decode_quota_mb_per_hour / 60, burst=settings.decode_quota_burst_mb
        ),
    )
    app.state.retention = retention
    app.state.status_changes = status_changes
    app.state.mrz = mrz
    app.state.batches = batches
    app.state.deadlines = deadlines
    return app
