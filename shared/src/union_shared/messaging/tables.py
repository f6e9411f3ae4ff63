"""The platform tables every service database has: outbox, processed events, dead letters,
idempotency keys and the audit trail.

They live on their own MetaData so each service's Alembic environment includes them beside the
service's own tables; the databases are separate, so the names never clash.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from union_shared.db import UtcDateTime, new_metadata

platform_metadata = new_metadata()

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
_BigId = BigInteger().with_variant(Integer(), "sqlite")

outbox = Table(
    "outbox",
    platform_metadata,
    Column("id", _BigId, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("event_type", String(100), nullable=False),
    Column("topic", String(200), nullable=False),
    Column("message_key", String(200), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("published_at", UtcDateTime(), nullable=True, index=True),
)

processed_events = Table(
    "processed_events",
    platform_metadata,
    Column("consumer", String(100), primary_key=True),
    Column("event_id", String(36), primary_key=True),
    Column("event_type", String(100), nullable=False),
    Column("processed_at", UtcDateTime(), nullable=False),
)

dead_letters = Table(
    "dead_letters",
    platform_metadata,
    Column("id", _BigId, primary_key=True, autoincrement=True),
    Column("consumer", String(100), nullable=False),
    Column("topic", String(200), nullable=False),
    Column("partition", Integer, nullable=False),
    Column("offset", BigInteger, nullable=False),
    Column("message_key", String(200), nullable=True),
    Column("payload", LargeBinary, nullable=False),
    Column("event_id", String(36), nullable=True),
    Column("event_type", String(100), nullable=True),
    Column("error", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("failed_at", UtcDateTime(), nullable=False),
    Column("replayed_at", UtcDateTime(), nullable=True),
    Column("replay_error", Text, nullable=True),
    UniqueConstraint("consumer", "topic", "partition", "offset"),
)

idempotency_keys = Table(
    "idempotency_keys",
    platform_metadata,
    Column("caller", String(200), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response_body", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

audit_log = Table(
    "audit_log",
    platform_metadata,
    Column("id", _BigId, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("actor_role", String(40), nullable=False),
    Column("action", String(80), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("worker_id", String(36), nullable=True, index=True),
    Column("reason", Text, nullable=True),
    Column("changes", JSON, nullable=False),
    Column("correlation_id", String(128), nullable=True),
)
