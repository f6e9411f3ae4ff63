"""Settings read from the environment (pydantic-settings), one class per service.

Each service subclasses `ServiceSettings` with its own `env_prefix` (ROSTER_, PAYROLL_ ...),
so `ROSTER_DATABASE_URL` points the roster at PostgreSQL while the broker address stays the
one platform-wide `KAFKA_BOOTSTRAP_SERVERS`.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# For the embedded default and tests only, like union_shared.auth.DEV_SECRET: anyone who reads
# this file can recompute every hash made with it. Deployments set <SERVICE>_IDENTIFIER_HASH_KEY.
DEV_IDENTIFIER_HASH_KEY = "union-platform-development-only-identifier-hash-key-change-me"


def data_dir() -> Path:
    import os

    return Path(os.environ.get("DATA_DIR", "data")).resolve()


class ServiceSettings(BaseSettings):
    # Errors name the variable, never its value: a database URL holds a password and the hash
    # key is a secret, and a refused setting is printed to the log at startup.
    model_config = SettingsConfigDict(
        extra="ignore", env_prefix="SERVICE_", hide_input_in_errors=True
    )

    service_name: str = "service"
    database_url: str = ""
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "kafka_bootstrap_servers"),
    )
    # Tansu (the embedded broker) has no idempotent producer; real Kafka should run with it on.
    kafka_idempotent_producer: bool = Field(
        default=False,
        validation_alias=AliasChoices("KAFKA_IDEMPOTENT_PRODUCER", "kafka_idempotent_producer"),
    )
    kafka_topic_partitions: int = Field(
        default=6,
        ge=1,
        validation_alias=AliasChoices("KAFKA_TOPIC_PARTITIONS", "kafka_topic_partitions"),
    )
    kafka_replication_factor: int = Field(
        default=1,
        ge=1,
        validation_alias=AliasChoices("KAFKA_REPLICATION_FACTOR", "kafka_replication_factor"),
    )
    outbox_batch_size: int = Field(default=500, ge=1)
    outbox_poll_interval_s: float = Field(default=0.2, gt=0)
    consumer_batch_size: int = Field(default=500, ge=1)
    consumer_handler_attempts: int = Field(default=3, ge=1)
    consumer_retry_backoff_s: float = Field(default=0.05, ge=0)
    consumer_commit_interval_s: float = Field(default=0.0, ge=0)
    # How long the broker may hold a fetch that has too little data. Tansu holds it the whole
    # time even when records arrive, so aiokafka's 500 ms default became the event latency.
    consumer_fetch_max_wait_ms: int = Field(default=50, ge=1, le=5000)
    # Consumer-group liveness, platform-wide like the broker address (the broker bounds them:
    # real Kafka refuses a session under group.min.session.timeout.ms, 6 s by default). A consumer
    # killed without leaving holds its partitions until the broker has missed its heartbeats for a
    # whole session, so the session is the floor of the stall after a crash; a graceful stop
    # leaves the group at once. `make run` shortens both for the embedded broker
    # (union_dev.broker.CONSUMER_ENV).
    consumer_session_timeout_ms: int = Field(
        default=6000,
        ge=1000,
        le=300_000,
        validation_alias=AliasChoices(
            "KAFKA_CONSUMER_SESSION_TIMEOUT_MS", "consumer_session_timeout_ms"
        ),
    )
    consumer_heartbeat_interval_ms: int = Field(
        default=1000,
        ge=100,
        validation_alias=AliasChoices(
            "KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS", "consumer_heartbeat_interval_ms"
        ),
    )
    # Static membership (KIP-345): a consumer that comes back under the same id within its session
    # takes its partitions back without a rebalance. Each replica needs its own stable id (in
    # Kubernetes the pod name, which survives container restarts); unset, members are dynamic.
    # Not worth it on the embedded broker: see union_shared.messaging.bus.GroupMembership.
    consumer_group_instance_id: str | None = Field(
        default=None,
        min_length=1,
        validation_alias=AliasChoices("KAFKA_GROUP_INSTANCE_ID", "consumer_group_instance_id"),
    )
    run_background_tasks: bool = True
    # Request bodies past this are refused with 413 (on Content-Length before reading, else at the
    # byte that passes it). A route taking uploads sets its own larger limit.
    max_request_body_bytes: int = Field(default=2**20, ge=0)
    log_level: str = Field(default="INFO", validation_alias=AliasChoices("LOG_LEVEL", "log_level"))
    # Where "today" is: the federations' own zone, platform-wide (union_shared.clock).
    time_zone: str = Field(
        default="Asia/Shanghai", validation_alias=AliasChoices("TIME_ZONE", "time_zone")
    )

    identifier_hash_key: SecretStr = Field(
        default=SecretStr(DEV_IDENTIFIER_HASH_KEY),
        min_length=16,
        description=(
            "The key of union_shared.resident_id.keyed_hash, read from"
            " <SERVICE>_IDENTIFIER_HASH_KEY (RECRUITMENT_IDENTIFIER_HASH_KEY ...). Each service"
            " has its own, so a hash means something only inside the service that made it. The"
            " default is for development and tests only; a deployment sets a long random key"
            " and keeps it, since a new key changes every stored hash."
        ),
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"TIME_ZONE {value!r} is not an IANA time zone") from None
        return value

    @model_validator(mode="after")
    def _heartbeats_fit_in_the_session(self) -> ServiceSettings:
        if self.consumer_heartbeat_interval_ms >= self.consumer_session_timeout_ms:
            raise ValueError(
                "KAFKA_CONSUMER_HEARTBEAT_INTERVAL_MS must be below"
                " KAFKA_CONSUMER_SESSION_TIMEOUT_MS (a third of it or less is usual)"
            )
        return self

    def identifier_hash_key_bytes(self) -> bytes:
        """The key as keyed_hash takes it. `str()` of a SecretStr is asterisks, which would
        hash without complaint under the wrong key; this is the one way to read it."""
        return self.identifier_hash_key.get_secret_value().encode("utf-8")

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        folder = data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite+aiosqlite:///{folder / (self.service_name + '.db')}"
