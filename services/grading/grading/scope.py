"""Scoping through grading's copy of the unit tree (union_shared.scope): a caller governing unit
U acts on the workers and units whose path starts with U's."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from grading.grades import repository
from grading.models import UNIT_TREE, GradedWorker
from union_shared.auth import Caller, Role
from union_shared.errors import Forbidden


async def worker_in_scope(session: AsyncSession, caller: Caller, worker_id: str) -> GradedWorker:
    worker = await repository.worker(session, worker_id)
    return await UNIT_TREE.worker_in_scope(session, caller, worker_id, worker)


async def unit_path(session: AsyncSession, caller: Caller, unit_id: str) -> str:
    """The path of a unit the caller governs (404 for a unit the tree does not have)."""
    return await UNIT_TREE.unit_in_scope(session, caller, unit_id)


async def subtree_path(session: AsyncSession, caller: Caller, unit_id: str | None) -> str | None:
    """The subtree a read covers: the unit asked for, else the caller's own (None: the whole
    tree, for a platform-wide system client)."""
    if caller.role is Role.WORKER:
        raise Forbidden("a worker may see only their own grade")
    if unit_id is not None:
        return await unit_path(session, caller, unit_id)
    return (await UNIT_TREE.scope(session, caller)).root
