"""Every SQL statement about funder shares."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.models import FunderShares
from union_shared.repository import add as add


async def history(session: AsyncSession, unit_id: str) -> list[FunderShares]:
    query = (
        select(FunderShares)
        .where(FunderShares.unit_id == unit_id)
        .order_by(FunderShares.effective_from)
    )
    return list((await session.scalars(query)).all())


async def shares_from(session: AsyncSession, unit_id: str, day: date) -> FunderShares | None:
    return await session.get(FunderShares, (unit_id, day))
