from __future__ import annotations

from fastapi import APIRouter, Request

from payroll.deps import PayWriter, SessionDep, TodayDep
from payroll.pay.policy import shipped_pay_policies
from payroll.profiles import service
from payroll.profiles.schemas import PayProfileRead, ProfileCreate, ProfileRead
from payroll.scope import worker_in_scope
from union_shared.auth import RecordReader, Role
from union_shared.inputs import IsoDate

router = APIRouter(tags=["pay profiles"])


@router.get(
    "/workers/{worker_id}/pay-profile",
    summary="A worker's grade spans, pay profile and arrears owed",
    description=(
        "The grade spans in force (from grading's events), the pay profile in force on `as_of` "
        "(default today) with every earlier one, and arrears owed for closed months. The bank "
        "account is masked (****1234) for everyone but payroll officers and system clients."
    ),
)
async def get_pay_profile(
    worker_id: str,
    session: SessionDep,
    caller: RecordReader,
    today: TodayDep,
    as_of: IsoDate | None = None,
) -> PayProfileRead:
    worker = await worker_in_scope(session, caller, worker_id)
    return await service.pay_profile(session, caller, worker, as_of or today)


@router.post(
    "/workers/{worker_id}/pay-profile",
    status_code=201,
    summary="Add an effective-dated pay profile (payroll officers and system clients)",
    description=(
        "Contribution base (last year's declared average wage), housing fund rate within the "
        "limits of the pay policy in force on `effective_from`, special additional deductions "
        "checked against that policy, and the bank account. Earlier profiles are kept; a second "
        "profile on the same date is refused (409). Honours `Idempotency-Key`."
    ),
)
async def post_pay_profile(
    worker_id: str,
    body: ProfileCreate,
    request: Request,
    session: SessionDep,
    caller: PayWriter,
) -> ProfileRead:
    caller.require(Role.PAYROLL_OFFICER, Role.SYSTEM)
    worker = await worker_in_scope(session, caller, worker_id)
    book = shipped_pay_policies()[request.app.state.settings.pay_policy]
    row = await service.create(session, caller, book, worker, body)
    return service.profile_read(caller, row)
