from __future__ import annotations

from fastapi import APIRouter, Response

from payroll.deps import FunderWriter, SessionDep, TodayDep
from payroll.funders import service
from payroll.funders.schemas import FundersHistory, FundersRead, FundersUpdate
from payroll.scope import unit_in_scope
from union_shared.auth import ADMINS, Role, TreeReader
from union_shared.inputs import IsoDate

router = APIRouter(tags=["funders"])


@router.put(
    "/units/{unit_id}/funders",
    summary="Set how a unit's pay is shared between budgets from a date on",
    description=(
        "Funders: national, provincial, city, district, township. Percentages are decimal "
        "strings and must total exactly 100 (422 naming `body.shares` otherwise). Putting the "
        "same shares again changes nothing; shares already in force are never rewritten (409). "
        "Administrators, payroll officers and system clients, within their unit subtree."
    ),
    responses={201: {"description": "A new version was stored."}},
)
async def put_funders(
    unit_id: str,
    body: FundersUpdate,
    session: SessionDep,
    caller: FunderWriter,
    response: Response,
    today: TodayDep,
) -> FundersRead:
    caller.require(*ADMINS, Role.PAYROLL_OFFICER, Role.SYSTEM)
    await unit_in_scope(session, caller, unit_id)
    row, written = await service.put_shares(session, caller, unit_id, body, today)
    response.status_code = 201 if written else 200
    return service.read(row)


@router.get(
    "/units/{unit_id}/funders",
    summary="A unit's funder shares: the version in force and the history",
)
async def get_funders(
    unit_id: str,
    session: SessionDep,
    caller: TreeReader,
    today: TodayDep,
    as_of: IsoDate | None = None,
) -> FundersHistory:
    await unit_in_scope(session, caller, unit_id)
    return await service.history(session, unit_id, as_of or today)
