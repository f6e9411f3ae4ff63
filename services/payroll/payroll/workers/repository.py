"""Every SQL statement about pay workers, their grade spans and their arrears lines."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.models import ArrearsLine, GradeSpan, PayWorker


async def worker(session: AsyncSession, worker_id: str, *, lock: bool = False) -> PayWorker | None:
    query = select(PayWorker).where(PayWorker.worker_id == worker_id)
    if lock:
        query = query.with_for_update()  # one adjustment of a worker at a time (PostgreSQL)
    return await session.scalar(query)


async def add(session: AsyncSession, row: object) -> None:
    session.add(row)
    await session.flush()


async def spans(session: AsyncSession, worker_id: str) -> list[GradeSpan]:
    """The spans in force (not superseded), oldest first."""
    query = (
        select(GradeSpan)
        .where(GradeSpan.worker_id == worker_id, GradeSpan.superseded_at.is_(None))
        .order_by(GradeSpan.start)
    )
    return list((await session.scalars(query)).all())


async def supersede_spans(session: AsyncSession, span_ids: list[str], at: datetime) -> None:
    if span_ids:
        await session.execute(
            update(GradeSpan)
            .where(GradeSpan.id.in_(span_ids))
            .values(superseded_at=at)
            .execution_options(synchronize_session=False)
        )


async def insert_spans(session: AsyncSession, rows: list[dict]) -> None:
    if rows:
        await session.execute(insert(GradeSpan), rows)


async def insert_arrears(session: AsyncSession, rows: list[dict]) -> None:
    if rows:
        await session.execute(insert(ArrearsLine), rows)


async def arrears(session: AsyncSession, worker_id: str) -> list[ArrearsLine]:
    query = (
        select(ArrearsLine)
        .where(ArrearsLine.worker_id == worker_id)
        .order_by(ArrearsLine.recorded_at, ArrearsLine.for_period)
    )
    return list((await session.scalars(query)).all())


async def path_through(session: AsyncSession, unit_id: str) -> str | None:
    """A known unit path that passes through `unit_id` (payroll learns paths from the roster)."""
    query = (
        select(PayWorker.unit_path)
        .where(PayWorker.unit_path.contains(f"/{unit_id}/", autoescape=True))
        .limit(1)
    )
    return await session.scalar(query)
