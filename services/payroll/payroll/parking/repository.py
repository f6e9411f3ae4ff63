"""Every SQL statement that reads the parked events (workers.repository parks and unparks them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.models import ParkedEvent


async def waiting(session: AsyncSession, limit: int) -> list[ParkedEvent]:
    """The parked events, oldest first."""
    query = select(ParkedEvent).order_by(ParkedEvent.parked_at, ParkedEvent.event_id).limit(limit)
    return list((await session.scalars(query)).all())


async def count_and_oldest(session: AsyncSession) -> tuple[int, datetime | None]:
    query = select(func.count(), func.min(ParkedEvent.parked_at)).select_from(ParkedEvent)
    count, oldest = (await session.execute(query)).one()
    return int(count), oldest
