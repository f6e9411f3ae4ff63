"""A person who left, hired again: the same worker record (the resident ID stays unique per
person), a new employment episode with its own hire date, and WorkerRehired.

Probation needs nothing here: the contract rule already allows one probation per worker across
every contract they ever had with the federation (Labour Contract Law art. 19).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from roster.ids import new_id
from roster.models import Employment, Worker, WorkerEvent
from roster.rules.policy import rules_on
from roster.workers import repository
from roster.workers.schemas import WorkerCreate
from union_shared.audit import record_audit
from union_shared.auth import Caller
from union_shared.clock import utc_now
from union_shared.events import WorkerRehired, build_event
from union_shared.messaging.outbox import record_events

ONE_DAY = timedelta(days=1)


def returning_problem(registered: Worker, hire_date: date) -> tuple[str, str] | None:
    """Why this person cannot be hired on `hire_date` (field, reason), or None when they can:
    only someone who has left returns, and only after their last day."""
    if registered.status != "left" or registered.left_on is None:
        return "resident_id", "this person is already on the register"
    if hire_date <= registered.left_on:
        return "hire_date", f"this person left on {registered.left_on}; a re-hire starts after it"
    if (hire_date.year, hire_date.month) == (registered.left_on.year, registered.left_on.month):
        # Payroll pays one employment a month; a return within the leaving month would need
        # two spells on one payslip.
        return "hire_date", (
            f"this person left on {registered.left_on}; a re-hire starts in a later month"
        )
    return None


def rehired_seniority_start(
    worker: Worker, hire_date: date, credited_start: date | None, counts_earlier: bool
) -> date:
    """Seniority on return. When earlier service counts, the start moves forward by the gap, so
    the service counted at leaving carries on from the new hire date; a credited start (prior
    service recruitment recognised) applies when it is earlier still."""
    fresh = credited_start or hire_date
    if not counts_earlier:
        return fresh
    served = worker.left_on + ONE_DAY - worker.seniority_start  # type: ignore[operator]
    return min(hire_date - served, fresh)


async def rehire(
    session: AsyncSession,
    actor: Caller,
    worker: Worker,
    row: WorkerCreate,
    *,
    origin: str,
    unit_path: str | None,
    application_id: str | None = None,
) -> Worker:
    """Put a returning worker back on the register, in the caller's transaction. The row was
    checked by `check_new_workers` (scope, unit, age, `returning_problem`)."""
    rules = rules_on(row.hire_date)
    counts = rules.rehire_counts_earlier_service
    previous_left_on = worker.left_on
    episodes = await repository.employments(session, worker.id)
    episode = max((e.episode for e in episodes), default=1) + 1
    now = utc_now()
    seniority_start = rehired_seniority_start(worker, row.hire_date, row.seniority_start, counts)
    before = {"unit_id": worker.unit_id, "hire_date": worker.hire_date.isoformat()}
    for field in ("name", "phone", "education", "major", "qualification", "unit_id", "hire_date"):
        setattr(worker, field, getattr(row, field))
    worker.seniority_start = seniority_start
    worker.status, worker.left_on, worker.updated_at = "active", None, now
    if application_id is not None:
        worker.application_id = application_id
    details = {
        "unit_id": row.unit_id,
        "episode": episode,
        "previous_left_on": previous_left_on.isoformat(),
        "earlier_service_counted": counts,
        "application_id": application_id,
    }
    await repository.add_all(
        session,
        [
            Employment(
                id=new_id(),
                worker_id=worker.id,
                episode=episode,
                unit_id=row.unit_id,
                hire_date=row.hire_date,
                left_on=None,
                seniority_start=seniority_start,
                earlier_service_counted=counts,
                origin=origin,
                recorded_at=now,
            ),
            WorkerEvent(
                id=new_id(),
                worker_id=worker.id,
                kind="rehired",
                effective_date=row.hire_date,
                reason=None,
                details=details,
                recorded_by=actor.label,
                recorded_at=now,
            ),
        ],
    )
    await record_audit(
        session,
        actor,
        "worker.rehired",
        "worker",
        worker.id,
        worker_id=worker.id,
        changes={
            "before": before,
            "unit_id": row.unit_id,
            "hire_date": row.hire_date.isoformat(),
            "seniority_start": seniority_start.isoformat(),
            "episode": episode,
        },
    )
    payload = WorkerRehired(
        worker_id=worker.id,
        unit_id=row.unit_id,
        unit_path=unit_path,
        episode=episode,
        hire_date=row.hire_date,
        previous_left_on=previous_left_on,
        seniority_start=seniority_start,
        earlier_service_counted=counts,
        education=row.education,
        qualification=row.qualification,
        origin=origin,
        application_id=application_id,
    )
    await record_events(session, [build_event(payload, subject=worker.id, source="roster")])
    return worker
