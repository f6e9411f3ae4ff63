"""Transfers, suspensions, resumptions and departures: dated, audited, and sent as events."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from roster import scope
from roster.ids import new_id
from roster.lifecycle.domain import Move, Status, check_transition
from roster.lifecycle.schemas import Change, Transfer
from roster.models import Worker, WorkerEvent
from roster.workers import repository as workers
from union_shared.audit import record_audit
from union_shared.auth import HR_WRITERS, Caller
from union_shared.clock import utc_now
from union_shared.errors import InvalidInput
from union_shared.events import WorkerLeft, WorkerTransferred, build_event
from union_shared.messaging.outbox import record_events


async def _apply(
    session: AsyncSession, caller: Caller, worker: Worker, move: Move, change: Change, details: dict
) -> WorkerEvent:
    history = await workers.history(session, worker.id)
    last = max((e.effective_date for e in history), default=None)
    status = check_transition(
        move, Status(worker.status), change.effective_date, worker.hire_date, last
    )
    old_status = worker.status
    worker.status = status
    worker.updated_at = utc_now()
    entry = WorkerEvent(
        id=new_id(),
        worker_id=worker.id,
        kind=move.value,
        effective_date=change.effective_date,
        reason=change.reason,
        details=details,
        recorded_by=caller.label,
        recorded_at=worker.updated_at,
    )
    await workers.add_all(session, [entry])
    await record_audit(
        session,
        caller,
        f"worker.{move.value}",
        "worker",
        worker.id,
        worker_id=worker.id,
        reason=change.reason,
        changes={
            "status": {"from": old_status, "to": status},
            "effective_date": change.effective_date,
            **details,
        },
    )
    return entry


async def transfer(session: AsyncSession, caller: Caller, worker_id: str, data: Transfer) -> Worker:
    caller.require(*HR_WRITERS)
    worker = await scope.worker_in_scope(session, caller, worker_id)
    target = await scope.unit_in_scope(session, caller, data.to_unit_id)
    if target.id == worker.unit_id:
        raise InvalidInput.on_field("body.to_unit_id", "the worker is already in this unit")
    if target.status != "open":
        raise InvalidInput.on_field("body.to_unit_id", "the unit is closed")
    from_unit = worker.unit_id
    await _apply(
        session,
        caller,
        worker,
        Move.TRANSFER,
        data,
        {"from_unit_id": from_unit, "to_unit_id": target.id},
    )
    worker.unit_id = target.id
    payload = WorkerTransferred(
        worker_id=worker.id,
        from_unit_id=from_unit,
        to_unit_id=target.id,
        to_unit_path=target.path,
        effective_date=data.effective_date,
        reason=data.reason,
    )
    await record_events(session, [build_event(payload, subject=worker.id, source="roster")])
    return worker


async def suspend(session: AsyncSession, caller: Caller, worker_id: str, data: Change) -> Worker:
    caller.require(*HR_WRITERS)
    worker = await scope.worker_in_scope(session, caller, worker_id)
    await _apply(session, caller, worker, Move.SUSPEND, data, {})
    return worker


async def resume(session: AsyncSession, caller: Caller, worker_id: str, data: Change) -> Worker:
    caller.require(*HR_WRITERS)
    worker = await scope.worker_in_scope(session, caller, worker_id)
    await _apply(session, caller, worker, Move.RESUME, data, {})
    return worker


async def leave(session: AsyncSession, caller: Caller, worker_id: str, data: Change) -> Worker:
    caller.require(*HR_WRITERS)
    worker = await scope.worker_in_scope(session, caller, worker_id)
    await _apply(session, caller, worker, Move.LEAVE, data, {})
    worker.left_on = data.effective_date
    payload = WorkerLeft(
        worker_id=worker.id, unit_id=worker.unit_id, left_on=data.effective_date, reason=data.reason
    )
    await record_events(session, [build_event(payload, subject=worker.id, source="roster")])
    return worker
