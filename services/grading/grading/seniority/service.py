"""The seniority run: step every worker whose time has come, as of a date.

Idempotent: each worker's grade is replayed from the facts, so a second run for the same date
finds nothing to change and sends nothing. Only workers due for review are evaluated.

Workers go in batches, so memory stays bounded however many are due (1 January: everyone), and
the batches overlap: while the database writes one batch (history, standings, outbox), Python
replays the next, which it read before those writes began (the batches' workers are disjoint,
so the order of their reads and writes does not matter). Everything stays in the caller's one
transaction on one connection; the session never runs two statements at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from grading.grades import repository
from grading.grades.events import reevaluated_events
from grading.grades.repository import StoredInterval, WorkerRow
from grading.grades.service import apply
from grading.ids import new_id
from grading.models import SeniorityRun
from grading.policies.service import Catalogue, catalogue
from union_shared.auth import Caller, Role
from union_shared.bulk import cycle_collector_paused
from union_shared.clock import utc_now
from union_shared.errors import InvalidInput
from union_shared.events import Envelope
from union_shared.messaging.outbox import record_events
from union_shared.vocabulary import GradeChangeCause

BATCH = 5000
# Workers replayed between two turns of the event loop, which let the previous batch's writes
# move on to their next statement (about 5 ms of replaying).
TURN = 20


@dataclass
class _Facts:
    """What one batch reads: its workers, their ratings and their current history."""

    workers: list[WorkerRow]
    ratings: dict[str, dict[int, str]]
    histories: dict[str, list[StoredInterval]]


@dataclass
class _Changes:
    """What one batch writes."""

    superseded: list[str] = field(default_factory=list)  # history rows replaced
    inserts: list[dict] = field(default_factory=list)  # history rows new
    standings: list[dict] = field(default_factory=list)  # every worker's grade and next review
    payloads: list[tuple[str, dict]] = field(default_factory=list)  # GradeReevaluated, changed
    events: list[Envelope] = field(default_factory=list)  # their envelopes


async def _read(session: AsyncSession, ids: list[str]) -> _Facts:
    return _Facts(
        await repository.worker_rows(session, ids),
        await repository.ratings_of(session, ids),
        await repository.history_rows(session, ids),
    )


async def _replay(facts: _Facts, books: Catalogue, as_of: date, now: datetime) -> _Changes:
    changes = _Changes()
    for i, worker in enumerate(facts.workers):
        if i % TURN == TURN - 1:
            await asyncio.sleep(0)
        outcome, old_ids, new_rows = apply(
            worker,
            facts.ratings.get(worker.worker_id, {}),
            facts.histories.get(worker.worker_id, []),
            books,
            as_of,
            GradeChangeCause.SENIORITY,
            now=now,
        )
        changes.standings.append(outcome.standing)
        if outcome.changed:
            changes.superseded += old_ids
            changes.inserts += new_rows
            changes.payloads.append((outcome.worker_id, outcome.data))
    # Here rather than with the writes: the connection's chain of work is the longer one.
    changes.events = reevaluated_events(changes.payloads)
    return changes


async def _write(session: AsyncSession, changes: _Changes) -> None:
    await repository.supersede(session, changes.superseded, utc_now())
    await repository.insert_intervals(session, changes.inserts)
    await repository.store_standings(session, changes.standings)
    await record_events(session, changes.events)


async def _settle_all(session: AsyncSession, books: Catalogue, due: list[str], as_of: date) -> int:
    """Replay and write every due worker, batch by batch; the number whose history changed.

    While Python replays batch k, the connection writes batch k-1 and then reads batch k+1, so
    the database's work hides behind Python's."""
    batches = [due[start : start + BATCH] for start in range(0, len(due), BATCH)]
    changed = 0
    facts = await _read(session, batches[0]) if batches else None
    pending: asyncio.Future | None = None  # the connection's work while Python replays
    try:
        for k in range(len(batches)):
            assert facts is not None
            changes = await _replay(facts, books, as_of, utc_now())
            following = batches[k + 1] if k + 1 < len(batches) else None
            if pending is not None:
                facts = await pending
            elif following is not None:
                facts = await _read(session, following)
            ahead = batches[k + 2] if k + 2 < len(batches) else None
            pending = asyncio.ensure_future(_write_then_read(session, changes, ahead))
            changed += len(changes.payloads)
        if pending is not None:
            await pending
    except BaseException:
        # Let the connection's work in flight finish (its own error is the one already raised,
        # or follows from it) so that the caller's rollback finds the connection idle.
        if pending is not None and not pending.done():
            with contextlib.suppress(BaseException):
                await pending
        raise
    return changed


async def _write_then_read(
    session: AsyncSession, changes: _Changes, ahead: list[str] | None
) -> _Facts | None:
    await _write(session, changes)
    return await _read(session, ahead) if ahead is not None else None


async def run(
    session: AsyncSession, caller: Caller, as_of: date, default_policy: str, today: date
) -> SeniorityRun:
    """Platform-wide, so for system clients and operators only; never for a day still to come,
    which would write future grades and announce them as GradeReevaluated now."""
    caller.require(Role.SYSTEM, Role.OPERATOR)
    if as_of > today:
        raise InvalidInput.on_field(
            "body.as_of", f"is after today ({today}): a run cannot look ahead"
        )
    started = utc_now()
    books = await catalogue(session, default_policy)
    earliest = min(book.versions[0].effective_from for book in books.books.values())
    if as_of < earliest:
        raise InvalidInput.on_field(
            "body.as_of", f"no ladder policy was in force on {as_of} (the first starts {earliest})"
        )
    due = await repository.due_ids(session, as_of)
    with cycle_collector_paused():
        changed = await _settle_all(session, books, due, as_of)
    record = SeniorityRun(
        id=new_id(),
        as_of=as_of,
        started_at=started,
        finished_at=utc_now(),
        evaluated=len(due),
        changed=changed,
        requested_by=caller.label,
    )
    await repository.add(session, record)
    return record
