"""Every SQL statement about pay profiles."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.models import PayProfile
from union_shared.repository import add as add


async def profiles(session: AsyncSession, worker_id: str) -> list[PayProfile]:
    query = (
        select(PayProfile)
        .where(PayProfile.worker_id == worker_id)
        .order_by(PayProfile.effective_from)
    )
    return list((await session.scalars(query)).all())


async def profile_from(session: AsyncSession, worker_id: str, day: date) -> PayProfile | None:
    query = select(PayProfile).where(
        PayProfile.worker_id == worker_id, PayProfile.effective_from == day
    )
    return await session.scalar(query)
