from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from payroll.deps import SessionDep
from payroll.parking import service
from payroll.parking.schemas import ParkedEventsRead
from union_shared.auth import OperatorCaller

router = APIRouter(prefix="/admin/parked-events", tags=["admin: parked events"])


@router.get(
    "",
    summary="Events waiting for their worker, oldest first (operators and system clients)",
    description=(
        "GradeReevaluated events that arrived before the roster's WorkerOnboarded for their "
        "worker are parked, not dead-lettered, and applied when the worker arrives. Each is "
        "listed with its age by the app's clock; the payload (grade and appraisal) is never "
        "shown. The gauges `payroll_parked_events` and "
        "`payroll_parked_event_oldest_age_seconds` on /metrics say the same for alerting."
    ),
)
async def list_parked_events(
    session: SessionDep,
    caller: OperatorCaller,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ParkedEventsRead:
    return await service.parked(session, limit)
