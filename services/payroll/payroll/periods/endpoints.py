"""Locking a period by hand, until monthly runs exist: runs will lock the periods they close,
and this endpoint will then be removed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from payroll.models import LockedPeriod
from payroll.periods import repository
from payroll.scope import unit_in_scope
from union_shared.audit import record_audit
from union_shared.auth import ADMINS, CurrentCaller
from union_shared.deps import SessionDep

router = APIRouter(tags=["periods"])

PeriodPath = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2026-01"])]


class LockCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_id: str = Field(min_length=1, description="The root of the unit subtree to lock.")


class LockRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    period: str
    unit_id: str
    locked_by: str
    locked_at: datetime


@router.post(
    "/periods/{period}/lock",
    status_code=201,
    summary="TEMPORARY: mark a pay period closed for a unit subtree (administrators)",
    description=(
        "Stands in for the monthly runs, which do not exist yet: once a run is approved it "
        "locks its period, and this endpoint goes away. A grade change effective in a locked "
        "period owes arrears (补发), paid in the next open period. Locking twice changes "
        "nothing. City and district administrators only, within their subtree."
    ),
)
async def lock_period(
    period: PeriodPath, body: LockCreate, session: SessionDep, caller: CurrentCaller
) -> LockRead:
    caller.require(*ADMINS)
    await unit_in_scope(session, caller, body.unit_id)
    row = await repository.locked(session, period, body.unit_id)
    if row is None:
        row = LockedPeriod(
            period=period, unit_id=body.unit_id, locked_by=caller.label, locked_at=datetime.now(UTC)
        )
        await repository.add(session, row)
        await record_audit(
            session, caller, "period.locked", "unit", body.unit_id, changes={"period": period}
        )
    return LockRead.model_validate(row)
