"""Scoping: every read and write stays inside the caller's part of the unit tree.

The gateway checks this too; the roster checks again because it owns the tree (defence in
depth). A worker sees only their own record; a system client sees everything.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from roster.models import Unit, Worker
from roster.units import repository as units
from roster.workers import repository as workers
from union_shared.auth import Caller, Role
from union_shared.errors import Forbidden, NotFound
from union_shared.scope import Scope, scope_of


async def caller_scope(session: AsyncSession, caller: Caller) -> Scope:
    async def path_of(unit_id: str) -> str | None:
        unit = await units.get(session, unit_id)
        return unit.path if unit else None

    return await scope_of(caller, path_of)


async def root_path(session: AsyncSession, caller: Caller) -> str | None:
    """The path prefix the caller governs, or None for the whole register."""
    if caller.role is Role.WORKER:
        raise Forbidden("a worker caller needs a unit scope")
    return (await caller_scope(session, caller)).root


async def unit_in_scope(session: AsyncSession, caller: Caller, unit_id: str) -> Unit:
    unit = await units.get(session, unit_id)
    if unit is None:
        raise NotFound(f"no unit {unit_id}")
    if not (await caller_scope(session, caller)).covers(unit.path):
        raise Forbidden(f"unit {unit_id} is outside your part of the unit tree")
    return unit


async def worker_in_scope(session: AsyncSession, caller: Caller, worker_id: str) -> Worker:
    worker = await workers.get(session, worker_id)
    if worker is None:
        raise NotFound(f"no worker {worker_id}")
    if caller.role is Role.WORKER:
        if caller.worker_id != worker_id:
            raise Forbidden("a worker may see only their own record")
        return worker
    await unit_in_scope(session, caller, worker.unit_id)
    return worker
