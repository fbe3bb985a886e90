from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from eventing.config import ServiceSettings
from matching.domain import Thresholds


class MatchingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MATCHING_", extra="ignore")

    service_name: str = "matching"
    http_port: int = 8002
    # Consumer fetch wait (ms). Every empty fetch costs a round trip at both ends (per partition
    # at the broker): idle at 50 ms, one consumer of 4 topics x 6 partitions cost the embedded
    # broker 86 ms/s and itself 42 ms/s, at 200 ms a quarter of that. Tansu answers a waiting
    # fetch soon after a record arrives, not only at the max wait: produce -> consume median
    # 11 ms at 50, 16 at 100, 21 at 200, 59 at 500 (Apache Kafka answers at once at any wait).
    fetch_max_wait_ms: int = Field(default=200, ge=0)

    # Decision thresholds in bits (log2 odds); see domain/decide.py for how they were chosen and
    # bench/matching/quality.py for what they give on a labelled set.
    auto_match: float = Field(default=33.0, gt=0)
    margin: float = Field(default=6.0, ge=0)
    review: float = Field(default=6.0)
    frequency_cache_ttl_s: float = Field(default=300.0, gt=0)
    # Below this age (on the day of the request) a worker goes to an agent (contracts.eligibility).
    legal_working_age: int = Field(default=15, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> "MatchingSettings":
        if self.review >= self.auto_match:
            raise ValueError("MATCHING_REVIEW must be below MATCHING_AUTO_MATCH")
        return self

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(auto_match=self.auto_match, margin=self.margin, review=self.review)
