from datetime import timedelta

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from contracts.codes import INFO_EXPIRY_AFTER_DAYS, INFO_REMINDER_AFTER_DAYS
from eventing.config import ServiceSettings
from intake.documents import Limits


class IntakeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    service_name: str = "intake"
    http_port: int = 8001
    # Consumer fetch wait (ms). Every empty fetch costs a round trip at both ends (per partition
    # at the broker): idle at 50 ms, one consumer of 4 topics x 6 partitions cost the embedded
    # broker 86 ms/s and itself 42 ms/s, at 200 ms a quarter of that. Tansu answers a waiting
    # fetch soon after a record arrives, not only at the max wait: produce -> consume median
    # 11 ms at 50, 16 at 100, 21 at 200, 59 at 500 (Apache Kafka answers at once at any wait).
    fetch_max_wait_ms: int = Field(default=200, ge=0)

    # One upload: a 300 dpi colour scan of a passport page is 1-3 MB; 4 pages as a PDF stay under.
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    # A4 at 600 dpi (34.8 MP) and a 24 MP phone camera fit; decoding is bounded apart (below).
    max_upload_pixels: int = Field(default=40_000_000, ge=1_000_000)
    # What one image check may hold in memory at its peak (see intake.documents.images).
    max_decoded_bytes: int = Field(default=120_000_000, ge=10_000_000)
    # Image checks side by side in one process: times max_decoded_bytes, what uploads may hold.
    max_concurrent_decodes: int = Field(default=2, ge=1)
    # Per employer, across replicas: the decoding memory its uploads may cost, in MB (a token
    # bucket; a 12 MP photo costs ~50, the heaviest scan ~120). 60 GB an hour is 500 heavy
    # scans; the burst lets a requester send a few requests' pages at once.
    decode_quota_mb_per_hour: float = Field(default=60_000, gt=0)
    decode_quota_burst_mb: float = Field(default=6_000, gt=0)
    # A passport (2 pages) or a card/licence (2 sides), with room for a visa or residence page.
    max_pages: int = Field(default=4, ge=1, le=4)
    # Scans are kept this long after the request is final, then purged.
    # Long polls (GET /requests/{id}?wait=…) waiting at once per replica; more get a 503.
    max_status_waiters: int = Field(default=1000, ge=1)
    retention_days: float = Field(default=30, gt=0)
    retention_interval_s: float = Field(default=3600, gt=0)
    retention_batch_size: int = Field(default=200, ge=1)
    # A request still `submitted` this long after its event went out has the event published
    # again (intake.reconciler); checked every redrive_interval_s.
    redrive_after_s: float = Field(default=300, gt=0)
    redrive_interval_s: float = Field(default=30, gt=0)

    # An unanswered information request: a reminder after this many days, expiry after that
    # many (then the scans' retention starts); checked every deadlines_interval_s.
    info_reminder_days: float = Field(default=INFO_REMINDER_AFTER_DAYS, gt=0)
    info_expiry_days: float = Field(default=INFO_EXPIRY_AFTER_DAYS, gt=0)
    deadlines_interval_s: float = Field(default=300, gt=0)

    # Reading the machine-readable zone: one OCR at a time per replica (a reading takes ~1-2 s of
    # one core), each killed after mrz_timeout_s; an upload waits for its reading at most
    # mrz_wait_s, after which the draft shows it when it is done.
    mrz_enabled: bool = True
    mrz_concurrency: int = Field(default=1, ge=1, le=8)
    mrz_timeout_s: float = Field(default=20.0, gt=0)
    mrz_wait_s: float = Field(default=4.0, ge=0)

    @model_validator(mode="after")
    def _reminder_before_expiry(self) -> "IntakeSettings":
        if self.info_reminder_days >= self.info_expiry_days:
            raise ValueError("INTAKE_INFO_REMINDER_DAYS must be below INTAKE_INFO_EXPIRY_DAYS")
        return self

    @property
    def info_expiry(self) -> timedelta:
        return timedelta(days=self.info_expiry_days)

    def limits(self) -> Limits:
        return Limits(
            max_bytes=self.max_upload_bytes,
            max_pixels=self.max_upload_pixels,
            max_decoded_bytes=self.max_decoded_bytes,
            max_pages=self.max_pages,
        )
