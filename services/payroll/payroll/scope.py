"""Scoping through payroll's copy of the unit tree (union_shared.scope): a caller governing unit
U acts on the workers, units and runs whose path starts with U's."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from payroll.models import UNIT_TREE, PayWorker
from payroll.workers import repository
from union_shared.auth import Caller, Role
from union_shared.errors import Forbidden
from union_shared.identifiers import mask_account as masked_account
from union_shared.scope import Scope

# Bank accounts are shown whole only to those who pay: payroll officers and system clients.
BANK_READERS = frozenset({Role.PAYROLL_OFFICER, Role.SYSTEM})


async def caller_scope(session: AsyncSession, caller: Caller) -> Scope:
    return await UNIT_TREE.scope(session, caller)


async def worker_in_scope(session: AsyncSession, caller: Caller, worker_id: str) -> PayWorker:
    worker = await repository.worker(session, worker_id)
    return await UNIT_TREE.worker_in_scope(session, caller, worker_id, worker)


async def unit_in_scope(
    session: AsyncSession, caller: Caller, unit_id: str, field: str | None = None
) -> str:
    """The path of a unit the caller governs (see UnitTree.unit_in_scope); never a worker's."""
    if caller.role is Role.WORKER:
        raise Forbidden("a worker acts on their own record only")
    return await UNIT_TREE.unit_in_scope(session, caller, unit_id, field)


def mask_account(caller: Caller, account: str) -> str:
    return account if caller.role in BANK_READERS else masked_account(account) or ""
