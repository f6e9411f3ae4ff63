"""Every SQL statement about locked pay periods."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.models import LockedPeriod


async def locked(session: AsyncSession, period: str, unit_id: str) -> LockedPeriod | None:
    return await session.get(LockedPeriod, (period, unit_id))


async def add(session: AsyncSession, row: LockedPeriod) -> None:
    session.add(row)
    await session.flush()


async def latest_locked(session: AsyncSession, unit_ids: list[str]) -> str | None:
    """The latest period locked for any of the units (a worker's unit and its ancestors)."""
    query = select(func.max(LockedPeriod.period)).where(LockedPeriod.unit_id.in_(unit_ids))
    return await session.scalar(query)
