"""Every SQL statement about awards and elected posts held.

Two tables, one namespace each: `awards.for_worker(session, worker_id)`,
`posts.for_worker(session, worker_id)`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from roster.models import Award, PostHeld, Unit, Worker
from union_shared import repository as shared


class _Awards:
    add = staticmethod(shared.add)

    @staticmethod
    async def for_worker(session: AsyncSession, worker_id: str) -> list[Award]:
        query = select(Award).where(Award.worker_id == worker_id).order_by(Award.year, Award.id)
        return list((await session.scalars(query)).all())


class _Posts:
    add = staticmethod(shared.add)

    @staticmethod
    async def for_worker(session: AsyncSession, worker_id: str) -> list[PostHeld]:
        query = (
            select(PostHeld)
            .where(PostHeld.worker_id == worker_id)
            .order_by(PostHeld.term_start, PostHeld.id)
        )
        return list((await session.scalars(query)).all())

    @staticmethod
    async def in_unit(session: AsyncSession, unit_id: str, post: str) -> list[tuple[PostHeld, str]]:
        """Every term of `post` in the unit, with the holder's name."""
        query = (
            select(PostHeld, Worker.name)
            .join(Worker, Worker.id == PostHeld.worker_id)
            .where(PostHeld.unit_id == unit_id, PostHeld.post == post)
            .order_by(PostHeld.term_start)
        )
        return [(held, name) for held, name in (await session.execute(query)).all()]


awards = _Awards()
posts = _Posts()


async def lock_unit(session: AsyncSession, unit_id: str) -> None:
    """Hold the unit's row until the transaction ends, so two elections to the same unit are
    checked for overlapping terms one after the other (PostgreSQL; SQLite has one writer)."""
    await session.execute(select(Unit.id).where(Unit.id == unit_id).with_for_update())
