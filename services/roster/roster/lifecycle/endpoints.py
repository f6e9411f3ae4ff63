from __future__ import annotations

from fastapi import APIRouter, Request

from roster.deps import SessionDep
from roster.lifecycle import service
from roster.lifecycle.schemas import Change, Transfer
from roster.workers.schemas import WorkerRead
from union_shared.auth import HrWriter

router = APIRouter(prefix="/workers/{worker_id}", tags=["lifecycle"])


@router.post(
    "/transfer",
    status_code=200,
    summary="Transfer a worker to another unit",
    description="Dated; sends WorkerTransferred so grading and payroll split the month there.",
)
async def transfer_worker(
    worker_id: str, body: Transfer, request: Request, session: SessionDep, caller: HrWriter
) -> WorkerRead:
    worker = await service.transfer(session, caller, worker_id, body)
    return WorkerRead.of(worker, reveal=caller.sees_identifiers)


@router.post("/suspension", status_code=200, summary="Suspend a worker from a date")
async def suspend_worker(
    worker_id: str, body: Change, request: Request, session: SessionDep, caller: HrWriter
) -> WorkerRead:
    worker = await service.suspend(session, caller, worker_id, body)
    return WorkerRead.of(worker, reveal=caller.sees_identifiers)


@router.post("/resumption", status_code=200, summary="End a suspension from a date")
async def resume_worker(
    worker_id: str, body: Change, request: Request, session: SessionDep, caller: HrWriter
) -> WorkerRead:
    worker = await service.resume(session, caller, worker_id, body)
    return WorkerRead.of(worker, reveal=caller.sees_identifiers)


@router.post(
    "/departure",
    status_code=200,
    summary="Record that a worker left",
    description="Dated, with a reason; sends WorkerLeft (pay ends after the date).",
)
async def record_departure(
    worker_id: str, body: Change, request: Request, session: SessionDep, caller: HrWriter
) -> WorkerRead:
    worker = await service.leave(session, caller, worker_id, body)
    return WorkerRead.of(worker, reveal=caller.sees_identifiers)
