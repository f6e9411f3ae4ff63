"""Every SQL statement about graded workers, their ratings and their grade history."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import bindparam, func, insert, select, update
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
    # Core insert on the table: one executemany per chunk. (The ORM's bulk insert groups rows by
    # which keys are non-null, and `end` alternates between a date and null: row by row.)
    for start in range(0, len(rows), 5000):
        await session.execute(insert(GradeInterval.__table__), rows[start : start + 5000])


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


_WORKER_COLUMNS = (
    GradedWorker.worker_id,
    GradedWorker.unit_id,
    GradedWorker.hire_date,
    GradedWorker.seniority_start,
    GradedWorker.education,
    GradedWorker.status,
    GradedWorker.left_on,
)


async def due_ids(session: AsyncSession, as_of: date) -> list[str]:
    query = (
        select(GradedWorker.worker_id)
        .where(GradedWorker.status == "active", GradedWorker.next_review_on <= as_of)
        .order_by(GradedWorker.worker_id)
    )
    return list((await session.scalars(query)).all())


async def worker_rows(session: AsyncSession, worker_ids: list[str]) -> list:
    """Plain rows (not ORM objects) of the facts a re-evaluation reads: cheap to load in bulk."""
    query = select(*_WORKER_COLUMNS).where(GradedWorker.worker_id.in_(worker_ids))
    return list((await session.execute(query)).all())


async def history_rows(session: AsyncSession, worker_ids: list[str]) -> dict[str, list]:
    query = (
        select(
            GradeInterval.id,
            GradeInterval.worker_id,
            GradeInterval.post,
            GradeInterval.level,
            GradeInterval.start,
            GradeInterval.end,
        )
        .where(GradeInterval.worker_id.in_(worker_ids), GradeInterval.superseded_at.is_(None))
        .order_by(GradeInterval.worker_id, GradeInterval.start)
    )
    found: dict[str, list] = defaultdict(list)
    for row in (await session.execute(query)).all():
        found[row.worker_id].append(row)
    return found


async def store_standings(session: AsyncSession, standings: list[dict]) -> None:
    """Write many workers' current grade and next review date in one executemany."""
    if not standings:
        return
    table = GradedWorker.__table__
    statement = (
        update(table)
        .where(table.c.worker_id == bindparam("key"))
        .values(
            post=bindparam("post"),
            level=bindparam("level"),
            policy_id=bindparam("policy_id"),
            next_review_on=bindparam("next_review_on"),
            updated_at=bindparam("updated_at"),
        )
    )
    rows = [{**s, "key": s["worker_id"]} for s in standings]
    for start in range(0, len(rows), 5000):
        await session.execute(statement, rows[start : start + 5000])
