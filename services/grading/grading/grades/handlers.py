"""The roster's events about workers, as grading answers them (wired in grading.bootstrap).

WorkerOnboarded gives the initial grade; AppraisalRecorded (a correction too) re-evaluates and
always answers GradeReevaluated, changed or not, so payroll can act on pay and bonus in order;
WorkerTransferred may bring another policy; WorkerLeft closes the history; WorkerRehired opens a
new employment, whose grade resumes or restarts by the policy (ladder.episodes).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from grading.config import Settings
from grading.grades import repository, service
from grading.models import GradedWorker
from grading.policies.service import catalogue
from union_shared.events import (
    AppraisalRecorded,
    Envelope,
    WorkerLeft,
    WorkerOnboarded,
    WorkerRehired,
    WorkerTransferred,
)
from union_shared.events.catalogue import AppraisalRef
from union_shared.messaging.handlers import HandlerContext, known
from union_shared.messaging.outbox import record_events
from union_shared.vocabulary import GradeChangeCause

Context = HandlerContext[Settings]


async def on_onboarded(
    session: AsyncSession, envelope: Envelope, data: WorkerOnboarded, context: Context
) -> None:
    worker = await service.onboard(session, data, context.clock.now())
    if worker is None:
        return
    outcome = await _settle(session, worker, context, GradeChangeCause.ONBOARDING, envelope)
    await record_events(session, [outcome.event])


async def on_appraisal(
    session: AsyncSession, envelope: Envelope, data: AppraisalRecorded, context: Context
) -> None:
    worker = await _known(session, data.worker_id)
    await service.record_appraisal(session, data)
    ref = AppraisalRef(year=data.year, rating=data.rating, revision=data.revision)
    outcome = await _settle(session, worker, context, GradeChangeCause.APPRAISAL, envelope, ref)
    await record_events(session, [outcome.event])


async def on_transferred(
    session: AsyncSession, envelope: Envelope, data: WorkerTransferred, context: Context
) -> None:
    worker = await _known(session, data.worker_id)
    await service.transfer(session, worker, data)
    outcome = await _settle(session, worker, context, GradeChangeCause.TRANSFER, envelope)
    if outcome.changed:
        await record_events(session, [outcome.event])


async def on_left(
    session: AsyncSession, envelope: Envelope, data: WorkerLeft, context: Context
) -> None:
    worker = await _known(session, data.worker_id)
    worker.status, worker.left_on = "left", data.left_on
    await _settle(session, worker, context, GradeChangeCause.POLICY, envelope)


async def on_rehired(
    session: AsyncSession, envelope: Envelope, data: WorkerRehired, context: Context
) -> None:
    worker = await _known(session, data.worker_id)
    if not await service.rehire(session, worker, data, context.clock.now()):
        return
    outcome = await _settle(session, worker, context, GradeChangeCause.REHIRE, envelope)
    await record_events(session, [outcome.event])


async def _known(session: AsyncSession, worker_id: str) -> GradedWorker:
    return known(await repository.worker(session, worker_id, lock=True), worker_id)


async def _settle(
    session: AsyncSession,
    worker: GradedWorker,
    context: Context,
    cause: GradeChangeCause,
    envelope: Envelope,
    appraisal: AppraisalRef | None = None,
) -> service.Outcome:
    books = await catalogue(session, context.settings.default_policy)
    today = context.clock.today()
    return await service.settle(session, worker, books, today, cause, envelope.id, appraisal)
