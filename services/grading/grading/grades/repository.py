"""Every SQL statement about graded workers, their ratings and their grade history."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from grading.models import GradedAppraisal, GradedWorker, GradeInterval


async def worker(
    session: AsyncSession, worker_id: str, *, lock: bool = False
) -> GradedWorker | None:
    query = select(GradedWorker).where(GradedWorker.worker_id == worker_id)
    if lock:
        query = query.with_for_update()  # one re-evaluation of a worker at a time (PostgreSQL)
    return await session.scalar(query)


async def add(session: AsyncSession, row: object) -> None:
    session.add(row)
    await session.flush()


async def ratings(session: AsyncSession, worker_id: str) -> dict[int, str]:
    rows = await session.execute(
        select(GradedAppraisal.year, GradedAppraisal.rating).where(
            GradedAppraisal.worker_id == worker_id
        )
    )
    return {year: rating for year, rating in rows.all()}


async def ratings_of(session: AsyncSession, worker_ids: list[str]) -> dict[str, dict[int, str]]:
    found: dict[str, dict[int, str]] = defaultdict(dict)
    for start in range(0, len(worker_ids), 5000):
        chunk = worker_ids[start : start + 5000]
        rows = await session.execute(
            select(GradedAppraisal.worker_id, GradedAppraisal.year, GradedAppraisal.rating).where(
                GradedAppraisal.worker_id.in_(chunk)
            )
        )
        for worker_id, year, rating in rows.all():
            found[worker_id][year] = rating
    return found


async def appraisal(session: AsyncSession, worker_id: str, year: int) -> GradedAppraisal | None:
    return await session.get(GradedAppraisal, (worker_id, year))


async def history(session: AsyncSession, worker_id: str) -> list[GradeInterval]:
    query = (
        select(GradeInterval)
        .where(GradeInterval.worker_id == worker_id, GradeInterval.superseded_at.is_(None))
        .order_by(GradeInterval.start)
    )
    return list((await session.scalars(query)).all())


async def histories(session: AsyncSession, worker_ids: list[str]) -> dict[str, list[GradeInterval]]:
    found: dict[str, list[GradeInterval]] = defaultdict(list)
    for start in range(0, len(worker_ids), 5000):
        chunk = worker_ids[start : start + 5000]
        query = (
            select(GradeInterval)
            .where(GradeInterval.worker_id.in_(chunk), GradeInterval.superseded_at.is_(None))
            .order_by(GradeInterval.worker_id, GradeInterval.start)
        )
        for row in (await session.scalars(query)).all():
            found[row.worker_id].append(row)
    return found


async def full_history(session: AsyncSession, worker_id: str) -> list[GradeInterval]:
    """Every interval ever recorded, superseded ones included, for the audit view."""
    query = (
        select(GradeInterval)
        .where(GradeInterval.worker_id == worker_id)
        .order_by(GradeInterval.recorded_at, GradeInterval.start)
    )
    return list((await session.scalars(query)).all())


async def supersede(session: AsyncSession, interval_ids: list[str], at: datetime) -> None:
    for start in range(0, len(interval_ids), 5000):
        await session.execute(
            update(GradeInterval)
            .where(GradeInterval.id.in_(interval_ids[start : start + 5000]))
            .values(superseded_at=at)
            .execution_options(synchronize_session=False)
        )


async def insert_intervals(session: AsyncSession, rows: list[dict]) -> None:
    for start in range(0, len(rows), 5000):
        await session.execute(insert(GradeInterval), rows[start : start + 5000])


async def due_for_review(session: AsyncSession, as_of: date) -> list[GradedWorker]:
    query = select(GradedWorker).where(
        GradedWorker.status == "active", GradedWorker.next_review_on <= as_of
    )
    return list((await session.scalars(query)).all())


async def distribution(session: AsyncSession, through: list[str]) -> list[tuple[str, int, int]]:
    query = (
        select(GradedWorker.post, GradedWorker.level, func.count())
        .where(GradedWorker.status == "active", GradedWorker.post.is_not(None))
        .group_by(GradedWorker.post, GradedWorker.level)
        .order_by(GradedWorker.post, GradedWorker.level)
    )
    for unit_id in through:
        query = query.where(GradedWorker.unit_path.contains(f"/{unit_id}/", autoescape=True))
    return [(post, level, count) for post, level, count in (await session.execute(query)).all()]


async def active_through(session: AsyncSession, through: list[str]) -> list[GradedWorker]:
    query = select(GradedWorker).where(GradedWorker.status == "active")
    for unit_id in through:
        query = query.where(GradedWorker.unit_path.contains(f"/{unit_id}/", autoescape=True))
    return list((await session.scalars(query)).all())
