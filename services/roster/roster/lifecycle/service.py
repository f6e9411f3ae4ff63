"""Transfers, suspensions, resumptions and departures: dated, audited, and sent as events."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from roster import scope
from roster.contracts import repository as contracts
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


async def _end_contracts(session: AsyncSession, worker_id: str, last_day: date) -> list[str]:
    """Leaving ends the labour contract: one still running after the last day worked ends on
    it (so a later re-hire's contract does not overlap it). The ids of those ended."""
    ended = []
    for contract in await contracts.for_worker(session, worker_id):
        if contract.start_date <= last_day and (
            contract.end_date is None or contract.end_date > last_day
        ):
            contract.end_date = last_day
            if contract.probation_end is not None and contract.probation_end > last_day:
                contract.probation_end = last_day
            ended.append(contract.id)
    return ended


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
    ended = await _end_contracts(session, worker.id, data.effective_date)
    await _apply(session, caller, worker, Move.LEAVE, data, {"contracts_ended": ended})
    worker.left_on = data.effective_date
    episode = await workers.current_employment(session, worker.id)
    if episode is not None:
        episode.left_on = data.effective_date
    payload = WorkerLeft(
        worker_id=worker.id, unit_id=worker.unit_id, left_on=data.effective_date, reason=data.reason
    )
    await record_events(session, [build_event(payload, subject=worker.id, source="roster")])
    return worker
