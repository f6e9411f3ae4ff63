"""Scoping through payroll's copy of the unit tree (union_shared.scope): a caller governing unit
U acts on the workers, units and runs whose path starts with U's."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from payroll.models import UNIT_TREE, PayWorker
from payroll.workers import repository
from union_shared.auth import Caller, Role
from union_shared.errors import Forbidden, InvalidInput, NotFound
from union_shared.identifiers import mask_account as masked_account
from union_shared.scope import Scope

# Bank accounts are shown whole only to those who pay: payroll officers and system clients.
BANK_READERS = frozenset({Role.PAYROLL_OFFICER, Role.SYSTEM})


async def caller_scope(session: AsyncSession, caller: Caller) -> Scope:
    return await UNIT_TREE.scope(session, caller)


async def worker_in_scope(session: AsyncSession, caller: Caller, worker_id: str) -> PayWorker:
    worker = await repository.worker(session, worker_id)
    if worker is None:
        raise NotFound(f"payroll knows no worker {worker_id}")
    if not (await caller_scope(session, caller)).covers_worker(worker_id, worker.unit_path):
        raise Forbidden(f"worker {worker_id} is outside your part of the unit tree")
    return worker


async def unit_in_scope(
    session: AsyncSession, caller: Caller, unit_id: str, field: str | None = None
) -> str:
    """The path of a unit the caller governs. A unit the tree does not have is 404, or 422 on
    `field` when the unit is named in a request body."""
    if caller.role is Role.WORKER:
        raise Forbidden("a worker acts on their own record only")
    scope = await caller_scope(session, caller)
    path = await UNIT_TREE.path_of(session, unit_id)
    if path is None:
        if field:
            raise InvalidInput.on_field(field, f"no unit {unit_id} in the unit tree")
        raise NotFound(f"no unit {unit_id}")
    if not scope.covers(path):
        raise Forbidden(f"unit {unit_id} is outside your part of the unit tree")
    return path


def mask_account(caller: Caller, account: str) -> str:
    return account if caller.role in BANK_READERS else masked_account(account) or ""
