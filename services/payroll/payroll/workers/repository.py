"""Every SQL statement about pay workers, their grade spans and their arrears lines."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.models import (
    ArrearsLine,
    BonusEntitlement,
    GradeSpan,
    ParkedEvent,
    PayEmployment,
    PayRun,
    PayslipBonus,
    PayslipRow,
    PayWorker,
    WorkerUnit,
)
from payroll.pay.earnings import Employment
from union_shared.clock import utc_now
from union_shared.repository import add as add
from union_shared.repository import flush


async def worker(session: AsyncSession, worker_id: str, *, lock: bool = False) -> PayWorker | None:
    query = select(PayWorker).where(PayWorker.worker_id == worker_id)
    if lock:
        query = query.with_for_update()  # one adjustment of a worker at a time (PostgreSQL)
    return await session.scalar(query)


async def latest_employment(session: AsyncSession, worker_id: str) -> PayEmployment | None:
    """The worker's latest employment episode (None for a worker stored before episodes were)."""
    query = (
        select(PayEmployment)
        .where(PayEmployment.worker_id == worker_id)
        .order_by(PayEmployment.episode.desc())
        .limit(1)
    )
    return await session.scalar(query)


async def episodes(session: AsyncSession, worker_id: str) -> list[PayEmployment]:
    """The worker's employment episodes, oldest first."""
    query = (
        select(PayEmployment)
        .where(PayEmployment.worker_id == worker_id)
        .order_by(PayEmployment.episode)
    )
    return list((await session.scalars(query)).all())


async def employments(session: AsyncSession, worker_ids: list[str]) -> dict[str, list[Employment]]:
    """Each worker's employment episodes, oldest first (workers without rows are left out)."""
    query = (
        select(
            PayEmployment.worker_id, PayEmployment.hire_date, PayEmployment.left_on,
        )
        .where(PayEmployment.worker_id.in_(worker_ids))
        .order_by(PayEmployment.worker_id, PayEmployment.episode)
    )  # fmt: skip
    found: dict[str, list[Employment]] = {}
    for row in await session.execute(query):
        found.setdefault(row.worker_id, []).append(
            Employment(hired_on=row.hire_date, left_on=row.left_on)
        )
    return found


async def employments_of(session: AsyncSession, worker: PayWorker) -> list[Employment]:
    """The worker's episodes, oldest first; a worker stored without any has one, its own dates."""
    found = await employments(session, [worker.worker_id])
    return found.get(worker.worker_id) or [
        Employment(hired_on=worker.hire_date, left_on=worker.left_on)
    ]


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


async def add_unit(
    session: AsyncSession,
    worker_id: str,
    start: date,
    unit_id: str,
    unit_path: str | None,
    cause_event_id: str,
) -> None:
    """The worker belongs to `unit_id` from `start` on (a second move on one day replaces it)."""
    row = await session.get(WorkerUnit, (worker_id, start))
    if row is None:
        await add(
            session,
            WorkerUnit(
                worker_id=worker_id,
                start=start,
                unit_id=unit_id,
                unit_path=unit_path,
                cause_event_id=cause_event_id,
                recorded_at=utc_now(),
            ),
        )
        return
    row.unit_id, row.unit_path, row.cause_event_id = unit_id, unit_path, cause_event_id
    row.recorded_at = utc_now()
    await flush(session)


async def park(session: AsyncSession, worker_id: str, envelope: dict) -> None:
    await add(
        session,
        ParkedEvent(
            event_id=envelope["id"],
            worker_id=worker_id,
            envelope=envelope,
            parked_at=utc_now(),
        ),
    )


async def unpark(session: AsyncSession, worker_id: str) -> list[ParkedEvent]:
    """The events parked for the worker, oldest first, removed from the parking table."""
    query = (
        select(ParkedEvent)
        .where(ParkedEvent.worker_id == worker_id)
        .order_by(ParkedEvent.parked_at, ParkedEvent.event_id)
    )
    rows = list((await session.scalars(query)).all())
    if rows:
        await session.execute(delete(ParkedEvent).where(ParkedEvent.worker_id == worker_id))
    return rows


async def entitlement(session: AsyncSession, worker_id: str, year: int) -> BonusEntitlement | None:
    query = select(BonusEntitlement).where(
        BonusEntitlement.worker_id == worker_id,
        BonusEntitlement.appraisal_year == year,
        BonusEntitlement.superseded_at.is_(None),
    )
    return await session.scalar(query)


async def bonus_paid(session: AsyncSession, worker_id: str, year: int) -> PayslipRow | None:
    """The locked payslip that paid the bonus for an appraisal year, if one did (it may have paid
    other years' bonuses too)."""
    query = (
        select(PayslipRow)
        .join(PayRun, PayRun.id == PayslipRow.run_id)
        .join(PayslipBonus, PayslipBonus.payslip_id == PayslipRow.id)
        .where(
            PayslipBonus.worker_id == worker_id,
            PayslipBonus.appraisal_year == year,
            PayRun.status == "locked",
        )
        .order_by(PayslipRow.period)
        .limit(1)
    )
    return await session.scalar(query)


async def paid_periods(session: AsyncSession, worker_id: str, first: str, last: str) -> set[str]:
    """The months from `first` to `last` (YYYY-MM) a locked run paid the worker."""
    query = (
        select(PayslipRow.period)
        .join(PayRun, PayRun.id == PayslipRow.run_id)
        .where(
            PayslipRow.worker_id == worker_id,
            PayslipRow.period.between(first, last),
            PayRun.status == "locked",
        )
    )
    return set((await session.scalars(query)).all())
