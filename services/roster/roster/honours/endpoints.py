from __future__ import annotations

from fastapi import APIRouter, Request

from roster.deps import SessionDep, TodayDep
from roster.honours import service
from roster.honours.schemas import AwardCreate, AwardRead, PostHeldCreate, PostHeldRead
from union_shared.auth import HrWriter, RecordReader

router = APIRouter(tags=["honours"])


@router.post(
    "/workers/{worker_id}/awards",
    status_code=201,
    summary="Record an award",
    description="The year may not be before the worker's hire year nor after the current year.",
)
async def record_award(
    worker_id: str,
    body: AwardCreate,
    request: Request,
    session: SessionDep,
    caller: HrWriter,
    today: TodayDep,
) -> AwardRead:
    award = await service.record_award(session, caller, worker_id, body, today)
    return AwardRead.model_validate(award)


@router.get("/workers/{worker_id}/awards", summary="A worker's awards, by year")
async def list_awards(worker_id: str, session: SessionDep, caller: RecordReader) -> list[AwardRead]:
    return [
        AwardRead.model_validate(a) for a in await service.list_awards(session, caller, worker_id)
    ]


@router.post(
    "/workers/{worker_id}/posts",
    status_code=201,
    summary="Record an elected union post",
    description=(
        "A chair of a grassroots union, or a vice-chair of a township, street or district "
        "federation, for a term. The unit must be open and yours; a unit has one chair at a time."
    ),
)
async def record_post(
    worker_id: str,
    body: PostHeldCreate,
    request: Request,
    session: SessionDep,
    caller: HrWriter,
) -> PostHeldRead:
    return PostHeldRead.model_validate(await service.record_post(session, caller, worker_id, body))


@router.get("/workers/{worker_id}/posts", summary="The union posts a worker was elected to")
async def list_posts(
    worker_id: str, session: SessionDep, caller: RecordReader
) -> list[PostHeldRead]:
    return [
        PostHeldRead.model_validate(p) for p in await service.list_posts(session, caller, worker_id)
    ]
