"""Every SQL statement about workers and their lifecycle history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from roster.models import Employment, Unit, Worker, WorkerEvent
from union_shared.messaging.tables import audit_log
from union_shared.repository import add_all as add_all


@dataclass(frozen=True)
class WorkerFilter:
    root_path: str | None
    status: str | None = None
    education: str | None = None
    qualification: str | None = None
    name: str | None = None
    hired_from: date | None = None
    hired_to: date | None = None


def _filtered(f: WorkerFilter) -> Select[tuple[Worker]]:
    query = select(Worker)
    if f.root_path is not None:
        in_tree = select(Unit.id).where(Unit.path.startswith(f.root_path, autoescape=True))
        query = query.where(Worker.unit_id.in_(in_tree))
    if f.status:
        query = query.where(Worker.status == f.status)
    if f.education:
        query = query.where(Worker.education == f.education)
    if f.qualification:
        query = query.where(Worker.qualification == f.qualification)
    if f.name:
        query = query.where(Worker.name.contains(f.name, autoescape=True))
    if f.hired_from:
        query = query.where(Worker.hire_date >= f.hired_from)
    if f.hired_to:
        query = query.where(Worker.hire_date <= f.hired_to)
    return query


async def get(session: AsyncSession, worker_id: str) -> Worker | None:
    return await session.get(Worker, worker_id)


async def page(
    session: AsyncSession, f: WorkerFilter, after: str | None, limit: int
) -> list[Worker]:
    """Keyset pagination on the time-ordered id: stable under inserts, no OFFSET scans."""
    query = _filtered(f).order_by(Worker.id).limit(limit)
    if after:
        query = query.where(Worker.id > after)
    return list((await session.scalars(query)).all())


async def by_resident_ids(session: AsyncSession, numbers: list[str]) -> dict[str, Worker]:
    """The workers already on the register with these resident IDs, by number."""
    found: dict[str, Worker] = {}
    for start in range(0, len(numbers), 900):  # stay under SQLite's bound-parameter limit
        chunk = numbers[start : start + 900]
        rows = await session.scalars(select(Worker).where(Worker.resident_id.in_(chunk)))
        found.update((w.resident_id, w) for w in rows.all())
    return found


async def employments(session: AsyncSession, worker_id: str) -> list[Employment]:
    """The worker's employment episodes, first first."""
    query = select(Employment).where(Employment.worker_id == worker_id).order_by(Employment.episode)
    return list((await session.scalars(query)).all())


async def current_employment(session: AsyncSession, worker_id: str) -> Employment | None:
    query = (
        select(Employment)
        .where(Employment.worker_id == worker_id)
        .order_by(Employment.episode.desc())
        .limit(1)
    )
    return await session.scalar(query)


async def by_application(session: AsyncSession, application_id: str) -> Worker | None:
    return await session.scalar(select(Worker).where(Worker.application_id == application_id))


async def active_in_unit(session: AsyncSession, unit_id: str) -> int:
    query = select(func.count()).where(Worker.unit_id == unit_id, Worker.status != "left")
    return (await session.execute(query)).scalar_one()


async def history(session: AsyncSession, worker_id: str) -> list[WorkerEvent]:
    query = (
        select(WorkerEvent)
        .where(WorkerEvent.worker_id == worker_id)
        .order_by(WorkerEvent.effective_date, WorkerEvent.recorded_at)
    )
    return list((await session.scalars(query)).all())


async def audit_trail(session: AsyncSession, worker_id: str) -> list:
    query = select(audit_log).where(audit_log.c.worker_id == worker_id).order_by(audit_log.c.id)
    return list((await session.execute(query)).all())


async def insert_onboarded(
    session: AsyncSession,
    workers: list[dict],
    episodes: list[dict],
    history: list[dict],
    audits: list[dict],
) -> None:
    """Bulk-insert new workers with their first employment episode, history entry and audit
    row (executemany)."""
    for start in range(0, len(workers), 2000):
        end = start + 2000
        await session.execute(insert(Worker), workers[start:end])
        await session.execute(insert(Employment), episodes[start:end])
        await session.execute(insert(WorkerEvent), history[start:end])
        await session.execute(insert(audit_log), audits[start:end])
