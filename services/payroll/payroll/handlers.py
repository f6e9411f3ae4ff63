"""Event handlers: the roster's events keep payroll's worker facts current; grading's
GradeReevaluated replaces the grade spans, owes arrears and answers PayrollAdjusted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from payroll.adjustments.service import apply_reevaluation
from payroll.freeze import facts_changing
from payroll.models import UNIT_TREE, PayWorker
from payroll.pay.policy import shipped_pay_policies
from payroll.workers import repository
from union_shared.audit import SYSTEM_ACTOR, record_audit
from union_shared.events import (
    Envelope,
    GradeReevaluated,
    WorkerLeft,
    WorkerOnboarded,
    WorkerTransferred,
)
from union_shared.events.catalogue import GRADING_TOPIC, ROSTER_TOPIC
from union_shared.events.envelope import event_scope
from union_shared.messaging.runtime import ConsumerSpec


class UnknownWorker(Exception):
    """An event about a worker payroll has not heard of; retried, then dead-lettered."""


def utc_today() -> date:
    return datetime.now(UTC).date()


def handlers_for(pay_policy: str, today: Callable[[], date] = utc_today):
    """Handlers acting as of `today()`: the one place the clock enters (tests pin it)."""
    book = shipped_pay_policies()[pay_policy]

    async def on_onboarded(
        session: AsyncSession, envelope: Envelope, data: WorkerOnboarded
    ) -> None:
        await facts_changing(session)
        if await repository.worker(session, data.worker_id) is not None:
            return  # already known (a redelivery past the inbox, e.g. after a restore)
        worker = PayWorker(
            worker_id=data.worker_id,
            unit_id=data.unit_id,
            unit_path=await UNIT_TREE.current_path(session, data.unit_id, data.unit_path),
            hire_date=data.hire_date,
            left_on=None,
            qualification=data.qualification.value,
            education=data.education.value,
            status="active",
            updated_at=datetime.now(UTC),
        )
        await repository.add(session, worker)
        await repository.add_unit(
            session, worker.worker_id, data.hire_date, data.unit_id, worker.unit_path, envelope.id
        )
        await _audit(session, "pay_worker.onboarded", worker, {"unit_id": data.unit_id}, envelope)
        # Grading's topic may have run ahead of the roster's: apply what waited for this worker.
        for parked in await repository.unpark(session, worker.worker_id):
            waiting = Envelope.model_validate(parked.envelope)
            payload = GradeReevaluated.model_validate(waiting.data)
            with event_scope(waiting):
                await apply_reevaluation(session, worker, book, waiting, payload, today())

    async def on_transferred(
        session: AsyncSession, envelope: Envelope, data: WorkerTransferred
    ) -> None:
        await facts_changing(session)
        worker = await _known(session, data.worker_id)
        changes = {"unit_id": [worker.unit_id, data.to_unit_id], "on": data.effective_date}
        worker.unit_id = data.to_unit_id
        worker.unit_path = await UNIT_TREE.current_path(session, data.to_unit_id, data.to_unit_path)
        worker.updated_at = datetime.now(UTC)
        await repository.add_unit(
            session,
            worker.worker_id,
            max(data.effective_date, worker.hire_date),
            data.to_unit_id,
            worker.unit_path,
            envelope.id,
        )
        await _audit(session, "pay_worker.transferred", worker, changes, envelope)

    async def on_left(session: AsyncSession, envelope: Envelope, data: WorkerLeft) -> None:
        await facts_changing(session)
        worker = await _known(session, data.worker_id)
        worker.status, worker.left_on = "left", data.left_on
        worker.updated_at = datetime.now(UTC)
        await _audit(session, "pay_worker.left", worker, {"left_on": data.left_on}, envelope)

    async def on_reevaluated(
        session: AsyncSession, envelope: Envelope, data: GradeReevaluated
    ) -> None:
        await facts_changing(session)
        worker = await repository.worker(session, data.worker_id, lock=True)
        if worker is None:
            # Not onboarded yet (the two topics are not ordered with each other): keep the event
            # and apply it when WorkerOnboarded arrives, rather than losing it to the DLQ.
            await repository.park(session, data.worker_id, envelope.model_dump(mode="json"))
            return
        await apply_reevaluation(session, worker, book, envelope, data, today())

    return {
        **_unit_tree_handlers(),
        "WorkerOnboarded": on_onboarded,
        "WorkerTransferred": on_transferred,
        "WorkerLeft": on_left,
        "GradeReevaluated": on_reevaluated,
    }


def _unit_tree_handlers() -> dict:
    """A move changes which runs pay whom, so it waits for a computing run like any fact."""

    def changing(handler):
        async def handle(session: AsyncSession, envelope: Envelope, data) -> None:
            await facts_changing(session)
            await handler(session, envelope, data)

        return handle

    return {name: changing(handler) for name, handler in UNIT_TREE.handlers().items()}


async def _known(session: AsyncSession, worker_id: str) -> PayWorker:
    worker = await repository.worker(session, worker_id, lock=True)
    if worker is None:
        raise UnknownWorker(f"no WorkerOnboarded seen for worker {worker_id}")
    return worker


async def _audit(
    session: AsyncSession, action: str, worker: PayWorker, changes: dict, envelope: Envelope
) -> None:
    await record_audit(
        session,
        SYSTEM_ACTOR,
        action,
        "worker",
        worker.worker_id,
        worker_id=worker.worker_id,
        changes=changes,
        reason=f"{envelope.type} {envelope.id}",
    )


def consumers(pay_policy: str, today: Callable[[], date] = utc_today) -> list[ConsumerSpec]:
    return [ConsumerSpec("payroll", [ROSTER_TOPIC, GRADING_TOPIC], handlers_for(pay_policy, today))]
