"""Record annual appraisals and their corrections; each one sends AppraisalRecorded."""

from __future__ import annotations

from datetime import date

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from roster import scope
from roster.appraisals import repository
from roster.appraisals.domain import excellent_quota_warning, next_revision
from roster.appraisals.schemas import AppraisalCreate, AppraisalFields, AppraisalRevision
from roster.ids import new_id
from roster.models import Appraisal, Worker
from roster.rules.policy import rules_on
from roster.workers import repository as workers
from union_shared.audit import record_audit
from union_shared.auth import HR_WRITERS, Caller
from union_shared.clock import utc_now
from union_shared.errors import Conflict, InvalidInput, NotFound
from union_shared.events import AppraisalRecorded, build_event
from union_shared.messaging.outbox import record_events

log = structlog.get_logger(__name__)


def _check_year(worker: Worker, year: int, today: date) -> None:
    if year > today.year:
        raise InvalidInput.on_field("body.year", f"{year} has not begun; rate a year once it has")
    if year < worker.hire_date.year:
        raise InvalidInput.on_field("body.year", f"the worker was hired in {worker.hire_date.year}")
    if worker.left_on is not None and year > worker.left_on.year:
        raise InvalidInput.on_field("body.year", f"the worker left on {worker.left_on}")


async def record(
    session: AsyncSession, caller: Caller, worker_id: str, data: AppraisalCreate, today: date
) -> tuple[Appraisal, list[str]]:
    caller.require(*HR_WRITERS)
    worker = await scope.worker_in_scope(session, caller, worker_id)
    _check_year(worker, data.year, today)
    if await repository.revisions(session, worker_id, data.year):
        raise Conflict(
            f"worker {worker_id} already has a rating for {data.year}; a correction is a new "
            f"revision: POST /workers/{worker_id}/appraisals/{data.year}/revisions"
        )
    return await _save(session, caller, worker, data.year, 1, data, None, today)


async def revise(
    session: AsyncSession,
    caller: Caller,
    worker_id: str,
    year: int,
    data: AppraisalRevision,
    today: date,
) -> tuple[Appraisal, list[str]]:
    caller.require(*HR_WRITERS)
    worker = await scope.worker_in_scope(session, caller, worker_id)
    existing = await repository.revisions(session, worker_id, year)
    if not existing:
        raise NotFound(f"worker {worker_id} has no rating for {year} to correct")
    revision = next_revision(existing)
    return await _save(session, caller, worker, year, revision, data, data.reason, today)


async def _save(
    session: AsyncSession,
    caller: Caller,
    worker: Worker,
    year: int,
    revision: int,
    data: AppraisalFields,
    reason: str | None,
    today: date,
) -> tuple[Appraisal, list[str]]:
    now = utc_now()
    appraisal = Appraisal(
        id=new_id(),
        worker_id=worker.id,
        unit_id=worker.unit_id,
        year=year,
        revision=revision,
        rating=data.rating,
        score=data.score,
        satisfaction_score=data.satisfaction_score,
        comments=data.comments,
        correction_reason=reason,
        recorded_by=caller.label,
        recorded_at=now,
    )
    await repository.add(session, appraisal)
    await record_audit(
        session,
        caller,
        "appraisal.recorded" if revision == 1 else "appraisal.revised",
        "appraisal",
        appraisal.id,
        worker_id=worker.id,
        reason=reason,
        changes={"year": year, "revision": revision, "rating": data.rating},
    )
    payload = AppraisalRecorded(
        appraisal_id=appraisal.id,
        worker_id=worker.id,
        unit_id=worker.unit_id,
        year=year,
        rating=data.rating,
        revision=revision,
        score=str(data.score) if data.score is not None else None,
        recorded_by=caller.label,
        recorded_at=now,
    )
    await record_events(session, [build_event(payload, subject=worker.id, source="roster")])
    return appraisal, await _warnings(session, worker.unit_id, year, today)


async def _warnings(session: AsyncSession, unit_id: str, year: int, today: date) -> list[str]:
    limit = rules_on(today).excellent_share_warning
    excellent = await repository.excellent_in_unit(session, unit_id, year)
    headcount = await workers.active_in_unit(session, unit_id)
    warning = excellent_quota_warning(unit_id, year, excellent, headcount, limit)
    if warning is None:
        return []
    log.warning("appraisal.excellent_share_exceeded", unit_id=unit_id, year=year)
    return [warning.message]


async def list_for_worker(session: AsyncSession, caller: Caller, worker_id: str) -> list[Appraisal]:
    await scope.worker_in_scope(session, caller, worker_id)
    return await repository.for_worker(session, worker_id)
