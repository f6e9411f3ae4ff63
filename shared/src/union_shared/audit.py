"""The audit trail: every change to a worker's record, grade or pay, with who, when and why.

Written in the same transaction as the change, so the trail can never miss one or show one that
did not happen.
"""

from __future__ import annotations

from typing import Any

from fastapi.encoders import jsonable_encoder
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from union_shared.auth import Caller, Role
from union_shared.clock import utc_now
from union_shared.events.envelope import current_correlation_id
from union_shared.messaging.tables import audit_log

SYSTEM_ACTOR = Caller(subject="system", role=Role.SYSTEM, name="event handler")


async def record_audit(
    session: AsyncSession,
    actor: Caller,
    action: str,
    entity: str,
    entity_id: str,
    *,
    worker_id: str | None = None,
    changes: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    await session.execute(
        insert(audit_log).values(
            at=utc_now(),
            actor=actor.subject,
            actor_role=str(actor.role),
            action=action,
            entity=entity,
            entity_id=entity_id,
            worker_id=worker_id,
            reason=reason,
            changes=jsonable_encoder(changes or {}),
            correlation_id=current_correlation_id(),
        )
    )
