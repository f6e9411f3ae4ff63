from __future__ import annotations

from fastapi import APIRouter, Request

from grading.deps import SessionDep, TodayDep
from grading.grades.schemas import SeniorityRunCreate, SeniorityRunRead
from grading.seniority import service
from union_shared.auth import OperatorCaller

router = APIRouter(tags=["seniority runs"])


@router.post(
    "/seniority-runs",
    status_code=201,
    summary="Step every worker whose seniority anniversary has come, as of a date",
    description=(
        "Each worker whose grade changes gets a new history interval and a GradeReevaluated "
        "event. Running again for the same date changes nothing. For system clients and "
        "operators; `as_of` may not be after today. A Kubernetes CronJob runs "
        "`python -m grading.seniority` daily."
    ),
)
async def start_run(
    body: SeniorityRunCreate,
    request: Request,
    session: SessionDep,
    caller: OperatorCaller,
    today: TodayDep,
) -> SeniorityRunRead:
    default_policy = request.app.state.settings.default_policy
    record = await service.run(session, caller, body.as_of, default_policy, today)
    return SeniorityRunRead.model_validate(record)
