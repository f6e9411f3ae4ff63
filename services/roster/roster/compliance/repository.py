"""Every SQL statement of the compliance view: a few set-based reads over a whole subtree.

Each query selects by a subquery of the workers on the register (never a list of ids), so the
cost is one statement per table however many workers the subtree holds. A worker belongs to the
unit their history places them in on the as-of date, not necessarily their unit today.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from roster.models import Appraisal, Contract, Training, Unit, Worker, WorkerEvent

# History entries that put a worker in a unit from their effective date: each way onto the
# register and a re-hire (details.unit_id), and a transfer (details.to_unit_id).
PLACING = ("hired", "imported", "registered", "rehired", "transferred")


def _unit_on(as_of: date) -> ColumnElement[str]:
    """The worker's unit on `as_of`: where the last placing entry by then put them; else, before
    any, the unit the first later transfer took them from; else the unit they are in now."""
    details = WorkerEvent.details
    placed = func.coalesce(details["to_unit_id"].as_string(), details["unit_id"].as_string())
    last_placed = (
        select(placed)
        .where(
            WorkerEvent.worker_id == Worker.id,
            WorkerEvent.kind.in_(PLACING),
            WorkerEvent.effective_date <= as_of,
        )
        .order_by(WorkerEvent.effective_date.desc(), WorkerEvent.recorded_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    moved_from = (
        select(details["from_unit_id"].as_string())
        .where(
            WorkerEvent.worker_id == Worker.id,
            WorkerEvent.kind == "transferred",
            WorkerEvent.effective_date > as_of,
        )
        .order_by(WorkerEvent.effective_date, WorkerEvent.recorded_at)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(last_placed, moved_from, Worker.unit_id)


def _on_register(root_path: str | None, as_of: date) -> Select[Any]:
    """Workers hired on or before `as_of`, not left on or before it, and in a unit of the
    subtree on that date."""
    query = select(Worker.id).where(
        Worker.hire_date <= as_of,
        or_(Worker.left_on.is_(None), Worker.left_on > as_of),
        # A departure recorded without a date cannot be placed in time: treat it as past.
        not_(and_(Worker.status == "left", Worker.left_on.is_(None))),
    )
    if root_path is not None:
        in_tree = select(Unit.id).where(Unit.path.startswith(root_path, autoescape=True))
        query = query.where(_unit_on(as_of).in_(in_tree))
    return query


async def workers(session: AsyncSession, root_path: str | None, as_of: date) -> Sequence[Row]:
    query = select(
        Worker.id,
        Worker.name,
        _unit_on(as_of).label("unit_id"),
        Worker.hire_date,
        Worker.social_insurance_registered_on,
        Worker.birth_date,
        Worker.sex,
        Worker.female_retirement_age,
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
