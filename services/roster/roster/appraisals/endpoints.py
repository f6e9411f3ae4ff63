from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from roster.appraisals import service
from roster.appraisals.schemas import (
    AppraisalCreate,
    AppraisalRead,
    AppraisalRecordedReply,
    AppraisalRevision,
)
from roster.deps import SessionDep, TodayDep
from union_shared.auth import HrWriter, RecordReader

router = APIRouter(prefix="/workers/{worker_id}/appraisals", tags=["appraisals"])


def _reply(result) -> AppraisalRecordedReply:
    appraisal, warnings = result
    return AppraisalRecordedReply(
        appraisal=AppraisalRead.model_validate(appraisal), warnings=warnings
    )


@router.post(
    "",
    status_code=201,
    summary="Record a worker's annual rating",
    description=(
        "One rating per worker per year; a second one for the same year is refused (409): "
        "correct it with a revision instead. Sends AppraisalRecorded. When the unit's excellent "
        "ratings for the year pass the configured share (default 25%), the reply carries a "
        "warning; the record is kept."
    ),
)
async def record_appraisal(
    worker_id: str,
    body: AppraisalCreate,
    request: Request,
    session: SessionDep,
    caller: HrWriter,
    today: TodayDep,
) -> AppraisalRecordedReply:
    return _reply(await service.record(session, caller, worker_id, body, today))


@router.post(
    "/{year}/revisions",
    status_code=201,
    summary="Correct a rating: a new revision, never an overwrite",
    description="Sends AppraisalRecorded with the new revision number; grading re-evaluates.",
)
async def revise_appraisal(
    worker_id: str,
    year: Annotated[int, Path(ge=1900, le=2100)],
    body: AppraisalRevision,
    request: Request,
    session: SessionDep,
    caller: HrWriter,
    today: TodayDep,
) -> AppraisalRecordedReply:
    return _reply(await service.revise(session, caller, worker_id, year, body, today))


@router.get("", summary="Every rating and revision of a worker, oldest first")
async def list_appraisals(
    worker_id: str, session: SessionDep, caller: RecordReader
) -> list[AppraisalRead]:
    rows = await service.list_for_worker(session, caller, worker_id)
    return [AppraisalRead.model_validate(a) for a in rows]
