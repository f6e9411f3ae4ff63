from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from payroll.deps import SessionDep
from payroll.golive import service
from payroll.golive.schemas import (
    DeclaredPayCreate,
    DeclaredPayRead,
    DeclaredPayResult,
    GoLiveOf,
    GoLiveRead,
    GoLiveUpdate,
)
from payroll.pay.policy import shipped_pay_policies
from payroll.scope import unit_in_scope, worker_in_scope
from union_shared.auth import ADMINS, Caller, RecordReader, Role, TreeReader, allow

router = APIRouter(tags=["go-live"])

GoLiveWriter = Annotated[Caller, Depends(allow(*ADMINS, Role.PAYROLL_OFFICER))]
PayDeclarer = Annotated[Caller, Depends(allow(Role.PAYROLL_OFFICER, Role.SYSTEM))]


def _book(request: Request):
    return shipped_pay_policies()[request.app.state.settings.pay_policy]


@router.put(
    "/units/{unit_id}/go-live",
    summary="Set the first month the platform pays a unit's subtree (admins, payroll officers)",
    description=(
        "Months before it were paid outside the platform: a grade change reaching them owes "
        "arrears only for months whose pay is declared (POST /declared-pay). The go-live "
        "governs the unit and every unit under it without one of its own. Refused (409) when "
        "a locked run already paid a month before it, or pay is declared for a month from it "
        "on; 422 on `body.period` before the pay policy's first month. Putting the same month "
        "again changes nothing (200); a change is audited."
    ),
    responses={201: {"description": "The go-live was set or changed."}},
)
async def put_go_live(
    unit_id: str,
    body: GoLiveUpdate,
    request: Request,
    response: Response,
    session: SessionDep,
    caller: GoLiveWriter,
) -> GoLiveRead:
    path = await unit_in_scope(session, caller, unit_id)
    row, written = await service.set_go_live(session, caller, _book(request), unit_id, path, body)
    response.status_code = 201 if written else 200
    return GoLiveRead.model_validate(row, from_attributes=True)


@router.get(
    "/units/{unit_id}/go-live",
    summary="The go-live governing a unit: its own, else its nearest ancestor's",
)
async def get_go_live(unit_id: str, session: SessionDep, caller: TreeReader) -> GoLiveOf:
    path = await unit_in_scope(session, caller, unit_id)
    return await service.go_live_of(session, unit_id, path)


@router.post(
    "/declared-pay",
    status_code=201,
    summary="Declare the gross paid before go-live, per worker and month (payroll officers)",
    description=(
        "A batch of up to 5,000 lines from the earlier records, stored all or nothing: each line "
        "names a worker of your subtree, a month before the go-live governing the worker's "
        "unit (in which the worker was employed and the pay policy prices) and the gross paid. "
        "Every refused line is named in the 422 reply (`body.lines.<i>.<field>`). A month "
        "declared again is replaced and audited with the amount it replaced. Grade changes "
        "priced after the declaration owe, for each declared month, the corrected gross less "
        "the declared (and less arrears already owed for it)."
    ),
)
async def post_declared_pay(
    body: DeclaredPayCreate, request: Request, session: SessionDep, caller: PayDeclarer
) -> DeclaredPayResult:
    return await service.declare(session, caller, _book(request), body)


@router.get(
    "/workers/{worker_id}/declared-pay",
    summary="The pay declared as paid to a worker before go-live, oldest month first",
)
async def get_declared_pay(
    worker_id: str, session: SessionDep, caller: RecordReader
) -> list[DeclaredPayRead]:
    worker = await worker_in_scope(session, caller, worker_id)
    return await service.declared_of(session, worker)
