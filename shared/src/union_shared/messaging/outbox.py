"""The transactional outbox: event rows written in the caller's transaction.

`record_events` only adds rows to the session; the transaction owner commits them together with
the state change, so an event exists if and only if its change does. The relay publishes them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from union_shared.bulk import insert_rows
from union_shared.clock import utc_now
from union_shared.events.envelope import Envelope
from union_shared.events.registry import REGISTRY
from union_shared.messaging.tables import outbox

_WAKE_FLAG = "outbox_has_new_rows"
_wake_events: set[asyncio.Event] = set()


async def record_events(session: AsyncSession, events: Iterable[Envelope]) -> None:
    rows = [
        {
            "event_id": e.id,
            "event_type": e.type,
            "topic": REGISTRY.spec(e.type, e.schemaversion).topic,
            "message_key": e.subject,
            "payload": e.to_bytes(),
            "created_at": utc_now(),
        }
        for e in events
    ]
    if not rows:
        return
    # A batch job's thousands of events go in by COPY on PostgreSQL (union_shared.bulk).
    await insert_rows(session, outbox, rows)
    session.sync_session.info[_WAKE_FLAG] = True


def subscribe_wakeups() -> asyncio.Event:
    """An event set whenever a transaction in this process commits outbox rows."""
    wake = asyncio.Event()
    _wake_events.add(wake)
    return wake


def unsubscribe_wakeups(wake: asyncio.Event) -> None:
    _wake_events.discard(wake)


@sa_event.listens_for(Session, "after_commit")
def _wake_relays(session: Session) -> None:
    if session.info.pop(_WAKE_FLAG, False):
        for wake in _wake_events:
            wake.set()


@sa_event.listens_for(Session, "after_rollback")
def _forget_rows(session: Session) -> None:
    session.info.pop(_WAKE_FLAG, None)
