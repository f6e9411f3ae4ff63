from __future__ import annotations

from fastapi import APIRouter, Request

from roster.deps import SessionDep, TodayDep
from roster.training import service
from roster.training.schemas import (
    MentorshipCreate,
    MentorshipEnd,
    MentorshipRead,
    TrainingAlertRead,
    TrainingCreate,
    TrainingRead,
    WorkerMentorshipRead,
)
from union_shared.auth import HrWriter, RecordReader
from union_shared.inputs import IsoDate

router = APIRouter(tags=["training"])


@router.post(
    "/workers/{worker_id}/trainings",
    status_code=201,
    summary="Record a training a worker took",
    description=(
        "Refused when it ends before it starts, when the worker left before it started, or for "
        "pre-job training starting more than 90 days before the hire date."
    ),
)
async def record_training(
    worker_id: str,
    body: TrainingCreate,
    request: Request,
    session: SessionDep,
    caller: HrWriter,
) -> TrainingRead:
    training = await service.record_training(session, caller, worker_id, body)
    return TrainingRead.model_validate(training)


@router.get(
    "/workers/{worker_id}/trainings",
    summary="A worker's training records",
    description="Oldest first. A worker may read their own.",
)
async def list_trainings(
    worker_id: str, session: SessionDep, caller: RecordReader
) -> list[TrainingRead]:
    rows = await service.list_trainings(session, caller, worker_id)
    return [TrainingRead.model_validate(t) for t in rows]


@router.get(
    "/workers/{worker_id}/training-alerts",
    summary="A worker's open training alerts",
    description=(
        "Pre-job training missing past its grace period, rotation training overdue (due every "
        "3 years), as of `as_of` (default today). A worker who has left has none."
    ),
)
async def training_alerts(
    worker_id: str,
    session: SessionDep,
    caller: RecordReader,
    today: TodayDep,
    as_of: IsoDate | None = None,
) -> list[TrainingAlertRead]:
    alerts = await service.training_alerts(session, caller, worker_id, as_of or today)
    return [TrainingAlertRead.model_validate(a) for a in alerts]


@router.post(
    "/mentorships",
    status_code=201,
    summary="Pair a mentor with a mentee (帮带制)",
    description=(
        "Both must be active and in your part of the unit tree; a worker cannot mentor "
        "themselves, and a pair cannot be recorded twice over the same days."
    ),
)
async def start_mentorship(
    body: MentorshipCreate, request: Request, session: SessionDep, caller: HrWriter
) -> MentorshipRead:
    return MentorshipRead.model_validate(await service.pair(session, caller, body))


@router.post("/mentorships/{mentorship_id}/end", summary="End a mentoring pair")
async def end_mentorship(
    mentorship_id: str,
    body: MentorshipEnd,
    request: Request,
    session: SessionDep,
    caller: HrWriter,
) -> MentorshipRead:
    return MentorshipRead.model_validate(
        await service.end_pair(session, caller, mentorship_id, body)
    )


@router.get(
    "/workers/{worker_id}/mentorships",
    summary="A worker's mentoring pairs",
    description="Pairs where the worker is mentor or mentee, with their role in each.",
)
async def list_mentorships(
    worker_id: str, session: SessionDep, caller: RecordReader
) -> list[WorkerMentorshipRead]:
    pairs = await service.list_pairs(session, caller, worker_id)
    return [WorkerMentorshipRead.of(p, worker_id) for p in pairs]
