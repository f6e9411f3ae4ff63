"""Every SQL statement about graded workers, their ratings and their grade history."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Update,
    and_,
    any_,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from grading.models import GradedAppraisal, GradedWorker, GradeIntervalRow
from union_shared.bulk import insert_rows
from union_shared.repository import add as add

CHUNK = 5000  # ids per statement: SQLite's limit on bound parameters is 32,766


def _postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _among(session: AsyncSession, column: ColumnElement, ids: list[str]) -> ColumnElement:
    """`column IN ids`. On PostgreSQL one array parameter (`= ANY`): thousands of ids would
    otherwise be as many parameters, rendered into the statement on every execution."""
    if _postgres(session):
        return column == any_(_array(column, ids))
    return column.in_(ids)


def _among_many(
    session: AsyncSession, column: ColumnElement, ids: list[str], *, semi_join: bool = False
) -> ColumnElement:
    """`column IN ids` for a batch of thousands of workers' ids. On PostgreSQL also `BETWEEN`
    their least and greatest (computed by the database, in its collation): the planner prices
    `= ANY` of thousands of values per row and scans the whole table (in parallel), where the
    range lets it read just that stretch of the index (a seniority run's batches hold
    neighbouring ids: 75 ms a batch becomes 15). For the appraisals, several rows per worker, it
    still prefers the scan unless the ids come as a set to join (`semi_join`)."""
    if not _postgres(session):
        return column.in_(ids)
    given = _array(column, ids)  # one parameter, however often the statement names it
    each = select(func.unnest(given).label("id")).subquery()
    least = select(func.min(each.c.id)).scalar_subquery()
    greatest = select(func.max(each.c.id)).scalar_subquery()
    exact = column.in_(select(each.c.id)) if semi_join else column == any_(given)
    return and_(column.between(least, greatest), exact)


def _array(column: ColumnElement, values: list) -> BindParameter:
    return bindparam("ids", values, type_=ARRAY(column.type), unique=True)


async def worker(
    session: AsyncSession, worker_id: str, *, lock: bool = False
) -> GradedWorker | None:
    query = select(GradedWorker).where(GradedWorker.worker_id == worker_id)
    if lock:
        query = query.with_for_update()  # one re-evaluation of a worker at a time (PostgreSQL)
    return await session.scalar(query)


async def ratings(session: AsyncSession, worker_id: str) -> dict[int, str]:
    rows = await session.execute(
        select(GradedAppraisal.year, GradedAppraisal.rating).where(
            GradedAppraisal.worker_id == worker_id
        )
    )
    return {year: rating for year, rating in rows.all()}


# The bulk reads below select the tables' columns, not the mapped classes' attributes: rows
# come back as plain Core rows, without the ORM's per-row loading (a third of their cost).
_APPRAISALS = GradedAppraisal.__table__.c
_WORKERS = GradedWorker.__table__.c
_HISTORY = GradeIntervalRow.__table__.c


async def ratings_of(session: AsyncSession, worker_ids: list[str]) -> dict[str, dict[int, str]]:
    found: dict[str, dict[int, str]] = defaultdict(dict)
    for start in range(0, len(worker_ids), CHUNK):
        chunk = worker_ids[start : start + CHUNK]
        rows = await session.execute(
            select(_APPRAISALS.worker_id, _APPRAISALS.year, _APPRAISALS.rating).where(
                _among_many(session, _APPRAISALS.worker_id, chunk, semi_join=True)
            )
        )
        for worker_id, year, rating in rows.all():
            found[worker_id][year] = rating
    return found


async def appraisal(session: AsyncSession, worker_id: str, year: int) -> GradedAppraisal | None:
    return await session.get(GradedAppraisal, (worker_id, year))


async def history(session: AsyncSession, worker_id: str) -> list[GradeIntervalRow]:
    query = (
        select(GradeIntervalRow)
        .where(GradeIntervalRow.worker_id == worker_id, GradeIntervalRow.superseded_at.is_(None))
        .order_by(GradeIntervalRow.start)
    )
    return list((await session.scalars(query)).all())


async def full_history(session: AsyncSession, worker_id: str) -> list[GradeIntervalRow]:
    """Every interval ever recorded, superseded ones included, for the audit view."""
    query = (
        select(GradeIntervalRow)
        .where(GradeIntervalRow.worker_id == worker_id)
        .order_by(GradeIntervalRow.recorded_at, GradeIntervalRow.start)
    )
    return list((await session.scalars(query)).all())


async def supersede(session: AsyncSession, interval_ids: list[str], at: datetime) -> None:
    for start in range(0, len(interval_ids), CHUNK):
        await session.execute(
            update(GradeIntervalRow)
            .where(_among(session, GradeIntervalRow.id, interval_ids[start : start + CHUNK]))
            .values(superseded_at=at)
            .execution_options(synchronize_session=False)
        )


async def insert_intervals(session: AsyncSession, rows: list[dict]) -> None:
    # On the table, not the ORM class: COPY on PostgreSQL, else one executemany per chunk. (The
    # ORM's bulk insert groups rows by which keys are non-null, and `end` alternates between a
    # date and null: row by row.)
    for start in range(0, len(rows), CHUNK):
        await insert_rows(session, GradeIntervalRow.__table__, rows[start : start + CHUNK])


def _under(query, path: str | None):
    return (
        query
        if path is None
        else query.where(GradedWorker.unit_path.startswith(path, autoescape=True))
    )


async def distribution(session: AsyncSession, under: str | None) -> list[tuple[str, int, int]]:
    query = (
        select(GradedWorker.post, GradedWorker.level, func.count())
        .where(GradedWorker.status == "active", GradedWorker.post.is_not(None))
        .group_by(GradedWorker.post, GradedWorker.level)
        .order_by(GradedWorker.post, GradedWorker.level)
    )
    query = _under(query, under)
    return [(post, level, count) for post, level, count in (await session.execute(query)).all()]


async def active_under(session: AsyncSession, under: str | None) -> list[GradedWorker]:
    query = _under(select(GradedWorker).where(GradedWorker.status == "active"), under)
    return list((await session.scalars(query)).all())


async def due_ids(session: AsyncSession, as_of: date) -> list[str]:
    query = (
        select(GradedWorker.worker_id)
        .where(GradedWorker.status == "active", GradedWorker.next_review_on <= as_of)
        .order_by(GradedWorker.worker_id)
    )
    return list((await session.scalars(query)).all())


class WorkerRow(NamedTuple):
    """The facts a re-evaluation reads about a worker, as the bulk read returns them (a plain
    tuple: a SQLAlchemy Row's attributes cost several times more to read)."""

    worker_id: str
    unit_id: str
    hire_date: date
    seniority_start: date
    education: str
    status: str
    left_on: date | None
    earlier_employments: list[dict[str, str]] | None = None


class StoredInterval(NamedTuple):
    """A current grade_history row, as the bulk read returns it."""

    id: str
    worker_id: str
    policy_id: str
    policy_version: int
    post: str
    level: int
    start: date
    end: date | None


async def worker_rows(session: AsyncSession, worker_ids: list[str]) -> list[WorkerRow]:
    """The facts of many workers, as plain tuples: cheap to load in bulk."""
    query = select(*(_WORKERS[name] for name in WorkerRow._fields)).where(
        _among_many(session, _WORKERS.worker_id, worker_ids)
    )
    return list(map(WorkerRow._make, (await session.execute(query)).all()))


async def history_rows(
    session: AsyncSession, worker_ids: list[str]
) -> dict[str, list[StoredInterval]]:
    """Each worker's current history, oldest interval first."""
    query = (
        select(*(_HISTORY[name] for name in StoredInterval._fields))
        .where(
            _among_many(session, _HISTORY.worker_id, worker_ids),
            _HISTORY.superseded_at.is_(None),
        )
        .order_by(_HISTORY.worker_id, _HISTORY.start)
    )
    found: dict[str, list[StoredInterval]] = defaultdict(list)
    for row in map(StoredInterval._make, (await session.execute(query)).all()):
        found[row.worker_id].append(row)
    return found


_STANDING = ("worker_id", "post", "level", "policy_id", "next_review_on", "updated_at")


async def store_standings(session: AsyncSession, standings: list[dict]) -> None:
    """Write many workers' current grade and next review date: on PostgreSQL one UPDATE ... FROM
    unnest(arrays) per chunk, elsewhere one executemany."""
    for start in range(0, len(standings), CHUNK):
        chunk = standings[start : start + CHUNK]
        if _postgres(session):
            columns = {f"all_{name}": [s[name] for s in chunk] for name in _STANDING}
            await session.execute(_standings_from_arrays(), columns)
        else:
            await session.execute(
                _standings_by_key(), [{**s, "key": s["worker_id"]} for s in chunk]
            )


def _standings_from_arrays() -> Update:
    table = GradedWorker.__table__
    given = (
        func.unnest(
            *(bindparam(f"all_{name}", type_=ARRAY(table.c[name].type)) for name in _STANDING)
        )
        .table_valued(*_STANDING)
        .render_derived(name="standing")
    )
    return (
        update(table)
        .where(table.c.worker_id == given.c.worker_id)
        .values({name: given.c[name] for name in _STANDING[1:]})
    )


def _standings_by_key() -> Update:
    table = GradedWorker.__table__
    return (
        update(table)
        .where(table.c.worker_id == bindparam("key"))
        .values({name: bindparam(name) for name in _STANDING[1:]})
    )
