"""Every SQL statement of the compliance view: a few set-based reads over a whole subtree.

Each query selects by a subquery of the workers on the register (never a list of ids), so the
cost is one statement per table however many workers the subtree holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, and_, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from roster.models import Appraisal, Contract, Training, Unit, Worker


def _on_register(root_path: str | None, as_of: date) -> Select[Any]:
    """Workers of the subtree hired on or before `as_of` and not left on or before it."""
    query = select(Worker.id).where(
        Worker.hire_date <= as_of,
        or_(Worker.left_on.is_(None), Worker.left_on > as_of),
        # A departure recorded without a date cannot be placed in time: treat it as past.
        not_(and_(Worker.status == "left", Worker.left_on.is_(None))),
    )
    if root_path is not None:
        in_tree = select(Unit.id).where(Unit.path.startswith(root_path, autoescape=True))
        query = query.where(Worker.unit_id.in_(in_tree))
    return query


async def workers(session: AsyncSession, root_path: str | None, as_of: date) -> Sequence[Row]:
    query = select(
        Worker.id,
        Worker.name,
        Worker.unit_id,
        Worker.hire_date,
        Worker.social_insurance_registered_on,
    ).where(Worker.id.in_(_on_register(root_path, as_of)))
    return (await session.execute(query)).all()


async def contracts(session: AsyncSession, root_path: str | None, as_of: date) -> Sequence[Row]:
    query = select(
        Contract.worker_id,
        Contract.kind,
        Contract.start_date,
        Contract.end_date,
        Contract.probation_end,
        Contract.signed_on,
    ).where(Contract.worker_id.in_(_on_register(root_path, as_of)))
    return (await session.execute(query)).all()


async def latest_trainings(
    session: AsyncSession, root_path: str | None, as_of: date, kinds: Iterable[str]
) -> Sequence[Row]:
    """(worker_id, kind, last end date) of the given kinds finished by `as_of`: the latest
    one of each kind is all the training rules look at."""
    query = (
        select(Training.worker_id, Training.kind, func.max(Training.end_date))
        .where(
            Training.worker_id.in_(_on_register(root_path, as_of)),
            Training.kind.in_(list(kinds)),
            Training.end_date <= as_of,
        )
        .group_by(Training.worker_id, Training.kind)
    )
    return (await session.execute(query)).all()


async def appraised(
    session: AsyncSession, root_path: str | None, as_of: date, year: int
) -> set[str]:
    query = (
        select(Appraisal.worker_id)
        .where(Appraisal.worker_id.in_(_on_register(root_path, as_of)), Appraisal.year == year)
        .distinct()
    )
    return set((await session.scalars(query)).all())
