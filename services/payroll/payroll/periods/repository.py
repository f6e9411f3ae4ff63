"""Every SQL statement about closed (locked) pay periods: runs close them, grade changes ask
which is the latest."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.models import LockedPeriod
from union_shared.repository import add


async def close(session: AsyncSession, row: LockedPeriod) -> None:
    """Record the period closed for the subtree (once: a later run of it finds it closed)."""
    if await session.get(LockedPeriod, (row.period, row.unit_id)) is None:
        await add(session, row)


async def latest_locked(session: AsyncSession, unit_ids: list[str]) -> str | None:
    """The latest period locked for any of the units (a worker's unit and its ancestors)."""
    query = select(func.max(LockedPeriod.period)).where(LockedPeriod.unit_id.in_(unit_ids))
    return await session.scalar(query)
