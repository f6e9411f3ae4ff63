"""Every SQL statement about labour contracts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from roster.models import Contract, Worker
from union_shared.repository import add as add


async def for_worker(session: AsyncSession, worker_id: str) -> list[Contract]:
    query = (
        select(Contract)
        .where(Contract.worker_id == worker_id)
        .order_by(Contract.start_date, Contract.recorded_at, Contract.id)
    )
    return list((await session.scalars(query)).all())


async def lock_worker(session: AsyncSession, worker_id: str) -> Worker | None:
    """Hold the worker's row until commit, so two concurrent contracts for one worker are
    checked against each other one after the other (no overlap slips through)."""
    query = (
        select(Worker)
        .where(Worker.id == worker_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return await session.scalar(query)
