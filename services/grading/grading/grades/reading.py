"""Read use cases: a worker's grade on a date, the grade history, the distribution of a subtree.
Each checks scope, loads through the repository and calls the ladder; the routes only shape
the reply."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from sqlalchemy.ext.asyncio import AsyncSession

from grading.grades import repository
from grading.grades.service import employments_of, first_hire_date, replay_of
from grading.ladder.versions import BookEvaluation
from grading.models import GradeIntervalRow
from grading.policies.service import catalogue
from grading.scope import subtree_path, worker_in_scope
from union_shared.auth import Caller
from union_shared.errors import InvalidInput


async def grade_on(
    session: AsyncSession, caller: Caller, worker_id: str, day: date, default_policy: str
) -> BookEvaluation:
    """The worker's grade on `day`, each version of the unit's policy deciding its own days."""
    worker = await worker_in_scope(session, caller, worker_id)
    hired = first_hire_date(worker)
    if day < hired:
        raise InvalidInput.on_field("query.as_of", f"before the hire date {hired}")
    for before, after in pairwise(employments_of(worker)):
        if before.left_on is not None and before.left_on < day < after.hire_date:
            raise InvalidInput.on_field(
                "query.as_of",
                f"between employments: left on {before.left_on}, hired again on "
                f"{after.hire_date}; no grade is held in between",
            )
    book = (await catalogue(session, default_policy)).book_for_unit(worker.unit_id)
    ratings = await repository.ratings(session, worker_id)
    return replay_of(worker, ratings, book.versions, day)


async def history(
    session: AsyncSession, caller: Caller, worker_id: str, include_superseded: bool
) -> list[GradeIntervalRow]:
    await worker_in_scope(session, caller, worker_id)
    if include_superseded:
        return await repository.full_history(session, worker_id)
    return await repository.history(session, worker_id)


async def distribution(
    session: AsyncSession, caller: Caller, unit_id: str | None
) -> list[tuple[str, int, int]]:
    """(post, level, workers) for the subtree of `unit_id`, or of the caller's unit."""
    return await repository.distribution(session, await subtree_path(session, caller, unit_id))
