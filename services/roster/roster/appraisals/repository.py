"""Every SQL statement about appraisals."""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from roster.models import Appraisal
from union_shared.repository import add as add


async def revisions(session: AsyncSession, worker_id: str, year: int) -> list[int]:
    query = select(Appraisal.revision).where(
        Appraisal.worker_id == worker_id, Appraisal.year == year
    )
    return list((await session.scalars(query)).all())


async def for_worker(session: AsyncSession, worker_id: str) -> list[Appraisal]:
    query = (
        select(Appraisal)
        .where(Appraisal.worker_id == worker_id)
        .order_by(Appraisal.year, Appraisal.revision)
    )
    return list((await session.scalars(query)).all())


async def excellent_in_unit(session: AsyncSession, unit_id: str, year: int) -> int:
    """Workers whose rating in force (highest revision) for the year is excellent."""
    latest = (
        select(Appraisal.worker_id, func.max(Appraisal.revision).label("revision"))
        .where(Appraisal.year == year)
        .group_by(Appraisal.worker_id)
        .subquery()
    )
    query = (
        select(func.count())
        .select_from(Appraisal)
        .join(
            latest,
            and_(
                Appraisal.worker_id == latest.c.worker_id, Appraisal.revision == latest.c.revision
            ),
        )
        .where(
            Appraisal.year == year, Appraisal.unit_id == unit_id, Appraisal.rating == "excellent"
        )
    )
    return (await session.execute(query)).scalar_one()
