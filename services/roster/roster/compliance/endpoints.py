from __future__ import annotations

from fastapi import APIRouter

from roster.compliance import service
from roster.compliance.schemas import ComplianceView
from roster.deps import SessionDep, TodayDep
from union_shared.auth import TreeReader
from union_shared.inputs import IsoDate

router = APIRouter(prefix="/compliance", tags=["compliance"])


@router.get(
    "",
    summary="Open compliance alerts in a subtree on a date",
    description=(
        "For the workers on the register on `as_of` (default: today) under `unit_id` (default: "
        "the caller's whole scope): written contracts missing or signed late, open-ended "
        "contracts due, social insurance registration overdue, pre-job and rotation training, "
        "last year's appraisal, and the statutory retirement age reached (`retirement_due`, "
        "from that day on). Each worker counts under the unit their history places them in on "
        "`as_of` (a transfer moves them from its effective date), so a past date shows the "
        "units as they were then. Counts list every kind, zero included. HR, auditors and "
        "payroll officers may read it; workers may not."
    ),
)
async def compliance_view(
    session: SessionDep,
    caller: TreeReader,
    today: TodayDep,
    unit_id: str | None = None,
    as_of: IsoDate | None = None,
) -> ComplianceView:
    return await service.open_alerts(session, caller, unit_id, as_of or today)
