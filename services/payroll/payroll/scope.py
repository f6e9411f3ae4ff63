"""Scoping by the unit paths the roster sends with its events: a caller governing unit U acts on
workers (and units) whose path passes through U."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from payroll.models import PayWorker
from payroll.workers import repository
from union_shared.auth import Caller, Role
from union_shared.problems import Forbidden, NotFound

# Bank accounts are shown whole only to those who pay: payroll officers and system clients.
BANK_READERS = frozenset({Role.PAYROLL_OFFICER, Role.SYSTEM})


def governs(caller: Caller, worker: PayWorker) -> bool:
    if caller.role is Role.WORKER:
        return caller.worker_id == worker.worker_id
    if caller.unit_id is None:
        return caller.role is Role.SYSTEM
    return f"/{caller.unit_id}/" in (worker.unit_path or f"/{worker.unit_id}/")


async def worker_in_scope(session: AsyncSession, caller: Caller, worker_id: str) -> PayWorker:
    worker = await repository.worker(session, worker_id)
    if worker is None:
        raise NotFound(f"payroll knows no worker {worker_id}")
    if not governs(caller, worker):
        raise Forbidden(f"worker {worker_id} is outside your part of the unit tree")
    return worker


async def unit_in_scope(session: AsyncSession, caller: Caller, unit_id: str) -> None:
    """The caller governs the unit itself or a unit above it on a known path."""
    if caller.role is Role.WORKER:
        raise Forbidden("a worker acts on their own record only")
    if (caller.unit_id is None and caller.role is Role.SYSTEM) or caller.unit_id == unit_id:
        return
    path = await repository.path_through(session, unit_id)
    above = path[: path.index(f"/{unit_id}/") + 1] if path else ""
    if f"/{caller.unit_id}/" not in above:
        raise Forbidden(f"unit {unit_id} is outside your part of the unit tree")


def mask_account(caller: Caller, account: str) -> str:
    return account if caller.role in BANK_READERS else f"****{account[-4:]}"
