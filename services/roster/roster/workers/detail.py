"""A worker's whole file in one reply: the record and everything recorded about them."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from roster import scope
from roster.workers import repository
from roster.workers.schemas import AuditEntry, HistoryEntry, WorkerRead
from union_shared.auth import Caller, Role


class WorkerDetail(BaseModel):
    worker: WorkerRead
    as_of: date
    history: list[HistoryEntry]
    audit: list[AuditEntry]


async def worker_detail(
    session: AsyncSession, caller: Caller, worker_id: str, as_of: date
) -> WorkerDetail:
    worker = await scope.worker_in_scope(session, caller, worker_id)
    reveal = caller.sees_identifiers or (caller.role is Role.WORKER)
    return WorkerDetail(
        worker=WorkerRead.of(worker, reveal=reveal),
        as_of=as_of,
        history=[
            HistoryEntry.model_validate(e) for e in await repository.history(session, worker_id)
        ],
        audit=[
            AuditEntry.model_validate(dict(r._mapping))
            for r in await repository.audit_trail(session, worker_id)
        ],
    )
