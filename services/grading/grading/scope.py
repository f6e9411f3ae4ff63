"""Scoping through grading's copy of the unit tree (union_shared.scope): a caller governing unit
U acts on the workers and units whose path starts with U's."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from grading.grades import repository
from grading.models import UNIT_TREE, GradedWorker
from union_shared.auth import Caller, Role
from union_shared.errors import Forbidden, NotFound


async def worker_in_scope(session: AsyncSession, caller: Caller, worker_id: str) -> GradedWorker:
    worker = await repository.worker(session, worker_id)
    if worker is None:
        raise NotFound(f"grading knows no worker {worker_id}")
    scope = await UNIT_TREE.scope(session, caller)
    if not scope.covers_worker(worker.worker_id, worker.unit_path):
        raise Forbidden(f"worker {worker_id} is outside your part of the unit tree")
    return worker


async def unit_path(session: AsyncSession, caller: Caller, unit_id: str) -> str:
    """The path of a unit the caller governs (404 for a unit the tree does not have)."""
    scope = await UNIT_TREE.scope(session, caller)
    path = await UNIT_TREE.path_of(session, unit_id)
    if path is None:
        raise NotFound(f"no unit {unit_id}")
    if not scope.covers(path):
        raise Forbidden(f"unit {unit_id} is outside your part of the unit tree")
    return path


async def subtree_path(session: AsyncSession, caller: Caller, unit_id: str | None) -> str | None:
    """The subtree a read covers: the unit asked for, else the caller's own (None: the whole
    tree, for a platform-wide system client)."""
    if caller.role is Role.WORKER:
        raise Forbidden("a worker may see only their own grade")
    if unit_id is not None:
        return await unit_path(session, caller, unit_id)
    return (await UNIT_TREE.scope(session, caller)).root
