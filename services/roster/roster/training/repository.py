"""Every SQL statement about training records and mentoring pairs.

Two tables, one namespace each: `trainings.for_worker(session, worker_id)`,
`mentorships.for_worker(session, worker_id)`.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from roster.models import Mentorship, Training, Worker
from union_shared import repository as shared
from union_shared.repository import flush as flush


class _Trainings:
    add = staticmethod(shared.add)

    @staticmethod
    async def for_worker(session: AsyncSession, worker_id: str) -> list[Training]:
        query = (
            select(Training)
            .where(Training.worker_id == worker_id)
            .order_by(Training.start_date, Training.id)
        )
        return list((await session.scalars(query)).all())


class _Mentorships:
    add = staticmethod(shared.add)

    @staticmethod
    async def get_for_change(session: AsyncSession, mentorship_id: str) -> Mentorship | None:
        """The pair, locked until the transaction ends so two changes to it cannot interleave."""
        return await session.get(Mentorship, mentorship_id, with_for_update=True)

    @staticmethod
    async def for_worker(session: AsyncSession, worker_id: str) -> list[Mentorship]:
        """Pairs where the worker is the mentor or the mentee, oldest first."""
        query = (
            select(Mentorship)
            .where(or_(Mentorship.mentor_id == worker_id, Mentorship.mentee_id == worker_id))
            .order_by(Mentorship.start_date, Mentorship.id)
        )
        return list((await session.scalars(query)).all())

    @staticmethod
    async def between(session: AsyncSession, mentor_id: str, mentee_id: str) -> list[Mentorship]:
        query = select(Mentorship).where(
            Mentorship.mentor_id == mentor_id, Mentorship.mentee_id == mentee_id
        )
        return list((await session.scalars(query)).all())


trainings = _Trainings()
mentorships = _Mentorships()


async def worker(session: AsyncSession, worker_id: str) -> Worker | None:
    return await session.get(Worker, worker_id)


async def lock_worker(session: AsyncSession, worker_id: str) -> None:
    """Hold the worker's row until the transaction ends, so two requests checking the same
    worker's pairs for duplicates take turns (PostgreSQL; SQLite has one writer anyway)."""
    await session.execute(select(Worker.id).where(Worker.id == worker_id).with_for_update())
