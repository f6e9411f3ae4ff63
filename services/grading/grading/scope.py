"""Scoping by the unit path the roster sends with its events: a caller governing unit U sees
workers whose unit path passes through U."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from grading.grades import repository
from grading.models import GradedWorker
from union_shared.auth import Caller, Role
from union_shared.problems import Forbidden, NotFound


def governs(caller: Caller, worker: GradedWorker) -> bool:
    if caller.role is Role.WORKER:
        return caller.worker_id == worker.worker_id
    if caller.unit_id is None:
        return caller.role is Role.SYSTEM
    return f"/{caller.unit_id}/" in (worker.unit_path or f"/{worker.unit_id}/")


async def worker_in_scope(session: AsyncSession, caller: Caller, worker_id: str) -> GradedWorker:
    worker = await repository.worker(session, worker_id)
    if worker is None:
        raise NotFound(f"grading knows no worker {worker_id}")
    if not governs(caller, worker):
        raise Forbidden(f"worker {worker_id} is outside your part of the unit tree")
    return worker


def path_filters(caller: Caller, unit_id: str | None) -> list[str]:
    """Units a worker's path must pass through: the one asked for and the caller's own. A unit
    outside the caller's scope then matches nobody, so nothing leaks."""
    if caller.role is Role.WORKER:
        raise Forbidden("a worker may see only their own grade")
    return [u for u in (unit_id, caller.unit_id) if u is not None]
