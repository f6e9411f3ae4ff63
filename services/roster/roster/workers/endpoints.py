from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from roster.deps import SessionDep, TodayDep
from roster.workers import detail, service
from roster.workers.detail import WorkerDetail
from roster.workers.schemas import (
    WorkerCreate,
    WorkerPage,
    WorkerRead,
    WorkerRegistered,
    WorkerUpdate,
)
from union_shared.auth import HrWriter, RecordReader, TreeReader
from union_shared.inputs import IsoDate
from union_shared.vocabulary import Education, Qualification

router = APIRouter(prefix="/workers", tags=["workers"])


@router.get(
    "",
    summary="List workers",
    description=(
        "Workers in the subtree under `unit_id` (default: the caller's whole scope), filtered, "
        "in the order they joined the register. Cursor pagination: pass `next_cursor` back."
    ),
)
async def list_workers(
    session: SessionDep,
    caller: TreeReader,
    unit_id: str | None = None,
    status: Annotated[str | None, Query(pattern="^(active|suspended|left)$")] = None,
    education: Education | None = None,
    qualification: Qualification | None = None,
    name: Annotated[str | None, Query(max_length=100)] = None,
    hired_from: IsoDate | None = None,
    hired_to: IsoDate | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> WorkerPage:
    rows, next_cursor = await service.list_workers(
        session,
        caller,
        unit_id=unit_id,
        cursor=cursor,
        limit=limit,
        status=status,
        education=education,
        qualification=qualification,
        name=name,
        hired_from=hired_from,
        hired_to=hired_to,
    )
    reveal = caller.sees_identifiers
    return WorkerPage(
        items=[WorkerRead.of(w, reveal=reveal) for w in rows], next_cursor=next_cursor
    )


@router.post(
    "",
    status_code=201,
    summary="Register one worker",
    description=(
        "Puts one person on the register, as a one-row import does: the same checks (a valid "
        "resident ID not already on the register, a unit in your part of the tree and open, "
        "at least 16 on the hire date, seniority not starting after the hire date; a hire at or "
        "past the statutory retirement age is not refused but warned of in `warnings`), the same "
        "derived birth date and sex, history, audit entry and WorkerOnboarded event. Unit HR "
        "and admins of the unit's subtree. Every problem is listed at once in the 422 reply, "
        "each naming its `body.<field>`; nothing is written then. A person who has left is "
        "re-hired instead: the same worker id, a new employment episode from the hire date "
        "(after their last day), seniority per the roster rule (earlier service counts by "
        "default), no second probation, and WorkerRehired."
    ),
)
async def register_worker(
    body: WorkerCreate, session: SessionDep, caller: HrWriter, response: Response
) -> WorkerRegistered:
    worker, warnings = await service.register(session, caller, body)
    response.headers["Location"] = f"/workers/{worker.id}"
    read = WorkerRead.of(worker, reveal=caller.sees_identifiers)
    return WorkerRegistered(**dict(read), warnings=warnings)


@router.get(
    "/{worker_id}",
    summary="A worker's record with full history",
    description=(
        "The record, contracts, appraisals (every revision), training, mentoring, awards, posts "
        "held, lifecycle history and the audit trail. A worker may read their own."
    ),
)
async def get_worker(
    worker_id: str,
    session: SessionDep,
    caller: RecordReader,
    today: TodayDep,
    as_of: IsoDate | None = None,
) -> WorkerDetail:
    return await detail.worker_detail(session, caller, worker_id, as_of or today)


@router.patch(
    "/{worker_id}",
    summary="Update contact, education and registration details",
    description=(
        "Changes the fields sent, with a `reason` kept in the audit trail. "
        "`female_retirement_age` (55 or 50: the original retirement age of a woman's post) "
        "may be set for women only; it moves her statutory retirement date."
    ),
)
async def update_worker(
    worker_id: str, body: WorkerUpdate, session: SessionDep, caller: HrWriter
) -> WorkerRead:
    worker = await service.update(session, caller, worker_id, body)
    return WorkerRead.of(worker, reveal=caller.sees_identifiers)
