"""Announce the units that existed before the roster published its tree's changes.

Grading and payroll now scope through their own copy of the unit tree, built from UnitCreated
and friends. A register that already had units writes one UnitCreated per unit (parents first)
and a UnitClosed per closed unit to the outbox, so the relay brings those copies up to date.
A fresh database has no units and writes nothing.

Revision ID: roster_0004
Revises: roster_0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from union_shared.events import UnitClosed, UnitCreated, build_event
from union_shared.events.catalogue import ROSTER_TOPIC, UNIT_TREE_SUBJECT

revision: str = "roster_0004"
down_revision: str | None = "roster_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_outbox = sa.table(
    "outbox",
    sa.column("event_id", sa.String),
    sa.column("event_type", sa.String),
    sa.column("topic", sa.String),
    sa.column("message_key", sa.String),
    sa.column("payload", sa.LargeBinary),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    units = op.get_bind().execute(
        sa.text("SELECT id, parent_id, path, name, kind, status, closed_on FROM units")
    )
    payloads = []
    for unit in sorted(units, key=lambda u: (u.path.count("/"), u.path)):
        payloads.append(
            UnitCreated(
                unit_id=unit.id,
                parent_id=unit.parent_id,
                path=unit.path,
                name=unit.name,
                kind=unit.kind,
            )
        )
        if unit.status == "closed" and unit.closed_on is not None:
            payloads.append(UnitClosed(unit_id=unit.id, path=unit.path, closed_on=unit.closed_on))
    now = datetime.now(UTC)
    rows = []
    for payload in payloads:
        event = build_event(payload, subject=UNIT_TREE_SUBJECT, source="roster")
        rows.append(
            {
                "event_id": event.id,
                "event_type": event.type,
                "topic": ROSTER_TOPIC,
                "message_key": UNIT_TREE_SUBJECT,
                "payload": event.to_bytes(),
                "created_at": now,
            }
        )
    if rows:
        op.bulk_insert(_outbox, rows)


def downgrade() -> None:
    pass  # announcements already sent cannot be taken back; the copies stay correct
