"""Payroll's copy of the roster's worker facts: who works where since when, who has left, who
came back (each hire an employment episode of its own: pay is owed for none of the gap).

Every change waits for a computing run first (`facts_changing`) and is audited with the event
that caused it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from payroll.freeze import facts_changing, record_change
from payroll.models import UNIT_TREE, PayEmployment, PayWorker
from payroll.workers import repository
from union_shared.audit import SYSTEM_ACTOR, record_audit
from union_shared.events import (
    Envelope,
    WorkerLeft,
    WorkerOnboarded,
    WorkerRehired,
    WorkerTransferred,
)
from union_shared.messaging.handlers import known


async def onboard(
    session: AsyncSession, envelope: Envelope, data: WorkerOnboarded, now: datetime
) -> PayWorker | None:
    """The roster's new worker, or None when already known (a redelivery past the inbox, e.g.
    after a restore)."""
    await facts_changing(session)
    if await repository.worker(session, data.worker_id) is not None:
        return None
    worker = PayWorker(
        worker_id=data.worker_id,
        unit_id=data.unit_id,
        unit_path=await UNIT_TREE.current_path(session, data.unit_id, data.unit_path),
        hire_date=data.hire_date,
        left_on=None,
        qualification=data.qualification.value,
        education=data.education.value,
        status="active",
        updated_at=now,
    )
    await repository.add(session, worker)
    await repository.add(session, _episode(worker, 1))
    await repository.add_unit(
        session, worker.worker_id, data.hire_date, data.unit_id, worker.unit_path, envelope.id
    )
    await _audit(session, "pay_worker.onboarded", worker, {"unit_id": data.unit_id}, envelope)
    await record_change(session, "worker_onboarded", worker_id=worker.worker_id)
    return worker


async def transfer(
    session: AsyncSession, envelope: Envelope, data: WorkerTransferred, now: datetime
) -> None:
    await facts_changing(session)
    worker = await locked(session, data.worker_id)
    changes = {"unit_id": [worker.unit_id, data.to_unit_id], "on": data.effective_date}
    worker.unit_id = data.to_unit_id
    worker.unit_path = await UNIT_TREE.current_path(session, data.to_unit_id, data.to_unit_path)
    worker.updated_at = now
    await repository.add_unit(
        session,
        worker.worker_id,
        max(data.effective_date, worker.hire_date),
        data.to_unit_id,
        worker.unit_path,
        envelope.id,
    )
    await _audit(session, "pay_worker.transferred", worker, changes, envelope)
    await record_change(session, "worker_transferred", worker_id=worker.worker_id)


async def leave(session: AsyncSession, envelope: Envelope, data: WorkerLeft, now: datetime) -> None:
    await facts_changing(session)
    worker = await locked(session, data.worker_id)
    worker.status, worker.left_on = "left", data.left_on
    worker.updated_at = now
    (await _latest(session, worker)).left_on = data.left_on
    await _audit(session, "pay_worker.left", worker, {"left_on": data.left_on}, envelope)
    await record_change(session, "worker_left", worker_id=worker.worker_id)


async def rehire(
    session: AsyncSession, envelope: Envelope, data: WorkerRehired, now: datetime
) -> None:
    """A new episode from the new hire date, in the unit the roster names. The worker's current
    facts become the new episode's; the earlier episodes stay as they ended, so the months
    between are paid by no run. An episode payroll already holds (a redelivery past the inbox)
    changes nothing."""
    await facts_changing(session)
    worker = await locked(session, data.worker_id)
    latest = await _latest(session, worker)
    if latest.episode >= data.episode:
        return
    if latest.left_on is None:  # WorkerLeft not seen: the roster's leaving date ends it
        latest.left_on = data.previous_left_on
    changes = {
        "episode": data.episode,
        "hire_date": data.hire_date,
        "previous_left_on": data.previous_left_on,
        "unit_id": data.unit_id,
    }
    worker.status, worker.hire_date, worker.left_on = "active", data.hire_date, None
    worker.unit_id = data.unit_id
    worker.unit_path = await UNIT_TREE.current_path(session, data.unit_id, data.unit_path)
    worker.qualification = data.qualification.value
    worker.education = data.education.value
    worker.updated_at = now
    await repository.add(session, _episode(worker, data.episode))
    await repository.add_unit(
        session, worker.worker_id, data.hire_date, data.unit_id, worker.unit_path, envelope.id
    )
    await _audit(session, "pay_worker.rehired", worker, changes, envelope)
    await record_change(session, "worker_rehired", worker_id=worker.worker_id)


def _episode(worker: PayWorker, episode: int) -> PayEmployment:
    """The episode the worker's current facts describe."""
    return PayEmployment(
        worker_id=worker.worker_id,
        episode=episode,
        hire_date=worker.hire_date,
        left_on=worker.left_on,
    )


async def _latest(session: AsyncSession, worker: PayWorker) -> PayEmployment:
    """The worker's latest episode; a worker stored before episodes were gets episode 1 from
    its own dates, so leaving and re-hiring work alike for every worker."""
    latest = await repository.latest_employment(session, worker.worker_id)
    if latest is None:
        latest = _episode(worker, 1)
        await repository.add(session, latest)
    return latest


async def locked(session: AsyncSession, worker_id: str) -> PayWorker:
    return known(await repository.worker(session, worker_id, lock=True), worker_id)


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
