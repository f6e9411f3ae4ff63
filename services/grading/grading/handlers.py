"""Event handlers: the roster's events keep grading's facts current and re-evaluate grades.

WorkerOnboarded gives the initial grade; AppraisalRecorded (a correction too) re-evaluates and
always answers GradeReevaluated, changed or not, so payroll can act on pay and bonus in order;
WorkerTransferred may bring another policy; WorkerLeft closes the history. The unit tree's
events keep grading's copy of the tree (and the workers' paths) current for scoping.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from grading.grades import repository
from grading.grades.service import evaluation_day, reevaluate
from grading.models import UNIT_TREE, GradedAppraisal, GradedWorker
from grading.policies.service import catalogue
from union_shared.events import (
    AppraisalRecorded,
    Envelope,
    WorkerLeft,
    WorkerOnboarded,
    WorkerTransferred,
)
from union_shared.events.catalogue import ROSTER_TOPIC, AppraisalRef, GradeChangeCause
from union_shared.messaging.outbox import record_events
from union_shared.messaging.runtime import ConsumerSpec


class UnknownWorker(Exception):
    """An event about a worker grading has not heard of; retried, then dead-lettered."""


def utc_today() -> date:
    return datetime.now(UTC).date()


def handlers_for(default_policy: str, today: Callable[[], date] = utc_today):
    """Handlers evaluating as of `today()`: the one place the clock enters (tests pin it)."""

    async def settle(session: AsyncSession, worker: GradedWorker, cause, envelope, appraisal=None):
        books = await catalogue(session, default_policy)
        outcome = await reevaluate(
            session,
            worker,
            books,
            evaluation_day(today(), worker),
            cause,
            cause_event_id=envelope.id,
            appraisal=appraisal,
        )
        return outcome

    async def on_onboarded(
        session: AsyncSession, envelope: Envelope, data: WorkerOnboarded
    ) -> None:
        if await repository.worker(session, data.worker_id) is not None:
            return  # already known (a redelivery past the inbox, e.g. after a restore)
        worker = GradedWorker(
            worker_id=data.worker_id,
            unit_id=data.unit_id,
            unit_path=await UNIT_TREE.current_path(session, data.unit_id, data.unit_path),
            hire_date=data.hire_date,
            seniority_start=data.seniority_start,
            education=data.education,
            status="active",
            updated_at=datetime.now(UTC),
        )
        await repository.add(session, worker)
        outcome = await settle(session, worker, GradeChangeCause.ONBOARDING, envelope)
        await record_events(session, [outcome.event])

    async def on_appraisal(
        session: AsyncSession, envelope: Envelope, data: AppraisalRecorded
    ) -> None:
        worker = await _known(session, data.worker_id)
        stored = await repository.appraisal(session, data.worker_id, data.year)
        if stored is None:
            await repository.add(
                session,
                GradedAppraisal(
                    worker_id=data.worker_id,
                    year=data.year,
                    revision=data.revision,
                    rating=data.rating,
                    appraisal_id=data.appraisal_id,
                ),
            )
        elif data.revision > stored.revision:
            stored.revision, stored.rating, stored.appraisal_id = (
                data.revision,
                data.rating,
                data.appraisal_id,
            )
        # An older revision arriving late changes nothing, but still gets its answer.
        ref = AppraisalRef(year=data.year, rating=data.rating, revision=data.revision)
        outcome = await settle(session, worker, GradeChangeCause.APPRAISAL, envelope, ref)
        await record_events(session, [outcome.event])

    async def on_transferred(
        session: AsyncSession, envelope: Envelope, data: WorkerTransferred
    ) -> None:
        worker = await _known(session, data.worker_id)
        worker.unit_id = data.to_unit_id
        worker.unit_path = await UNIT_TREE.current_path(session, data.to_unit_id, data.to_unit_path)
        outcome = await settle(session, worker, GradeChangeCause.TRANSFER, envelope)
        if outcome.changed:
            await record_events(session, [outcome.event])

    async def on_left(session: AsyncSession, envelope: Envelope, data: WorkerLeft) -> None:
        worker = await _known(session, data.worker_id)
        worker.status, worker.left_on = "left", data.left_on
        await settle(session, worker, GradeChangeCause.POLICY, envelope)

    return {
        **UNIT_TREE.handlers(),
        "WorkerOnboarded": on_onboarded,
        "AppraisalRecorded": on_appraisal,
        "WorkerTransferred": on_transferred,
        "WorkerLeft": on_left,
    }


async def _known(session: AsyncSession, worker_id: str) -> GradedWorker:
    worker = await repository.worker(session, worker_id, lock=True)
    if worker is None:
        raise UnknownWorker(f"no WorkerOnboarded seen for worker {worker_id}")
    return worker


def consumers(default_policy: str, today: Callable[[], date] = utc_today) -> list[ConsumerSpec]:
    return [ConsumerSpec("grading", [ROSTER_TOPIC], handlers_for(default_policy, today))]
