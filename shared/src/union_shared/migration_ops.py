"""Frozen migration steps shared by every service's first revision.

A migration must keep meaning what it meant when it ran, so these spell the tables out instead of
reading today's `messaging.tables`; a later change to those tables gets a new function here and a
new revision in every service.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

_BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def create_messaging_tables_v1() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", _BigId, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("message_key", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("event_id", name="uq_outbox_event_id"),
    )
    op.create_index("ix_outbox_published_at", "outbox", ["published_at"])
    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.String(100), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id", name="pk_processed_events"),
    )
    op.create_table(
        "dead_letters",
        sa.Column("id", _BigId, primary_key=True, autoincrement=True),
        sa.Column("consumer", sa.String(100), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("partition", sa.Integer, nullable=False),
        sa.Column("offset", sa.BigInteger, nullable=False),
        sa.Column("message_key", sa.String(200), nullable=True),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=True),
        sa.Column("event_type", sa.String(100), nullable=True),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replayed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replay_error", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_dead_letters"),
        sa.UniqueConstraint(
            "consumer", "topic", "partition", "offset", name="uq_dead_letters_consumer"
        ),
    )


def drop_messaging_tables_v1() -> None:
    op.drop_table("dead_letters")
    op.drop_table("processed_events")
    op.drop_index("ix_outbox_published_at", table_name="outbox")
    op.drop_table("outbox")


def create_platform_tables_v2() -> None:
    """Idempotency keys for POST retries and the audit trail (who, when, what, why)."""
    op.create_table(
        "idempotency_keys",
        sa.Column("caller", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer, nullable=False),
        sa.Column("response_body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("caller", "key", name="pk_idempotency_keys"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", _BigId, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("actor_role", sa.String(40), nullable=False),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("worker_id", sa.String(36), nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("correlation_id", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_worker_id", "audit_log", ["worker_id"])


def drop_platform_tables_v2() -> None:
    op.drop_index("ix_audit_log_worker_id", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("idempotency_keys")


def create_unit_tree_v1() -> None:
    """The copy of the roster's unit tree a consuming service keeps (union_shared.scope)."""
    op.create_table(
        "unit_tree",
        sa.Column("unit_id", sa.String(36), nullable=False),
        sa.Column("parent_id", sa.String(36), nullable=True),
        sa.Column("path", sa.String(2000), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("closed_on", sa.Date, nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("unit_id", name="pk_unit_tree"),
    )
    op.create_index("ix_unit_tree_path", "unit_tree", ["path"])


def drop_unit_tree_v1() -> None:
    op.drop_index("ix_unit_tree_path", table_name="unit_tree")
    op.drop_table("unit_tree")
