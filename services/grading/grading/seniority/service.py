"""The seniority run: step every worker whose time has come, as of a date.

Idempotent: each worker's grade is replayed from the facts, so a second run for the same date
finds nothing to change and sends nothing. Only workers due for review are evaluated.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from grading.grades import repository
from grading.grades.service import apply
from grading.ids import new_id
from grading.models import SeniorityRun
from grading.policies.service import catalogue
from union_shared.auth import ADMINS, Caller, Role
from union_shared.events.catalogue import GradeChangeCause
from union_shared.messaging.outbox import record_events
from union_shared.problems import InvalidInput

BATCH = 5000


async def _batch(session: AsyncSession, books, ids: list[str], as_of: date) -> int:
    workers = await repository.worker_rows(session, ids)
    ratings = await repository.ratings_of(session, ids)
    histories = await repository.history_rows(session, ids)
    superseded: list[str] = []
    inserts: list[dict] = []
    standings: list[dict] = []
    events = []
    for worker in workers:
        outcome, old_ids, new_rows = apply(
            worker,
            ratings.get(worker.worker_id, {}),
            histories.get(worker.worker_id, []),
            books,
            as_of,
            GradeChangeCause.SENIORITY,
        )
        standings.append(outcome.standing)
        if outcome.changed:
            superseded += old_ids
            inserts += new_rows
            events.append(outcome.event)
    await repository.supersede(session, superseded, datetime.now(UTC))
    await repository.insert_intervals(session, inserts)
    await repository.store_standings(session, standings)
    await record_events(session, events)
    return len(events)


async def run(
    session: AsyncSession, caller: Caller, as_of: date, default_policy: str
) -> SeniorityRun:
    caller.require(*ADMINS, Role.SYSTEM)
    started = datetime.now(UTC)
    books = await catalogue(session, default_policy)
    earliest = min(book.versions[0].effective_from for book in books.books.values())
    if as_of < earliest:
        raise InvalidInput.on_field(
            "body.as_of", f"no ladder policy was in force on {as_of} (the first starts {earliest})"
        )
    due = await repository.due_ids(session, as_of)
    changed = 0
    # In batches, so memory stays bounded however many workers are due (1 January: everyone).
    for start in range(0, len(due), BATCH):
        changed += await _batch(session, books, due[start : start + BATCH], as_of)
    record = SeniorityRun(
        id=new_id(),
        as_of=as_of,
        started_at=started,
        finished_at=datetime.now(UTC),
        evaluated=len(due),
        changed=changed,
        requested_by=caller.label,
    )
    await repository.add(session, record)
    return record
