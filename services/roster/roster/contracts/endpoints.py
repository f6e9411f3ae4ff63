from __future__ import annotations

from fastapi import APIRouter, Request

from roster.contracts import service
from roster.contracts.schemas import ContractCreate, ContractRead
from roster.deps import SessionDep
from union_shared.auth import HrWriter, RecordReader

router = APIRouter(prefix="/workers/{worker_id}/contracts", tags=["contracts"])


@router.post(
    "",
    status_code=201,
    summary="Record a worker's labour contract",
    description=(
        "Refused (422, naming the field) when the law does not allow the terms: a fixed-term "
        "contract without an end, an end before the start, a probation longer than art. 19 "
        "allows or a second probation, a start before the hire date. Refused (409) when it "
        "overlaps another contract of the worker, or the worker has left. A contract signed "
        "after its start is recorded as such: that is the late signing the compliance view flags."
    ),
)
async def record_contract(
    worker_id: str,
    body: ContractCreate,
    request: Request,
    session: SessionDep,
    caller: HrWriter,
) -> ContractRead:
    return ContractRead.model_validate(await service.record(session, caller, worker_id, body))


@router.get(
    "",
    summary="A worker's labour contracts, by start date",
    description="A worker may read their own.",
)
async def list_contracts(
    worker_id: str, session: SessionDep, caller: RecordReader
) -> list[ContractRead]:
    contracts = await service.list_for_worker(session, caller, worker_id)
    return [ContractRead.model_validate(c) for c in contracts]
