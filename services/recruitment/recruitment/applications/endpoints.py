from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Request

from recruitment.applications import service
from recruitment.applications.domain import ApplicationStatus
from recruitment.applications.schemas import ApplicationCreate, ApplicationRead
from recruitment.deps import ApplicantCaller, ApplicationReader, NowDep, SessionDep
from recruitment.stages import service as stages
from union_shared.auth import TreeReader

router = APIRouter(tags=["applications"])


@router.post(
    "/campaigns/{campaign_id}/applications",
    status_code=201,
    summary="Apply to a posting of an announced campaign while its window is open (applicants)",
    description=(
        "One application per person per campaign, whoever submits it: a second is refused "
        "(409, type `/problems/duplicate-application`), also when two arrive at the same "
        "instant. The resident ID must pass the GB 11643 check (422 on `body.resident_id`); "
        "name, sex and birth date come from it and the form. The application is screened at "
        "once against the posting's requirements: `eligible`, or `ineligible` with each "
        "failed rule named (`screening`), which the qualification review may override. "
        "Refused outside the window (409, `/problems/window-closed`) or for a posting not "
        "taking applications (409, `/problems/posting-not-open`)."
    ),
)
async def submit(
    campaign_id: str, body: ApplicationCreate, request: Request, session: SessionDep,
    caller: ApplicantCaller, now: NowDep,
) -> ApplicationRead:  # fmt: skip
    key = request.app.state.settings.identifier_hash_key_bytes()
    return await service.submit(session, caller, campaign_id, body, key, now)


@router.post(
    "/applications/{application_id}/withdraw",
    summary="Withdraw your own application, at any stage until it has ended (applicants)",
    description=(
        "A place held (in the checks, on the public notice, offered or accepted) goes to the "
        "next ranked applicant of the posting (递补) when the rules allow it. Refused (409, "
        "`/problems/cannot-withdraw`) once withdrawn, hired, declined or failed a check."
    ),
)
async def withdraw(
    application_id: str, session: SessionDep, caller: ApplicantCaller, now: NowDep,
    reason: Annotated[str | None, Body(embed=True, max_length=2000)] = None,
) -> ApplicationRead:  # fmt: skip
    row, _ = await stages.withdraw(session, caller, application_id, reason, now)
    return (await service.reads(session, caller, [row]))[0]


@router.get(
    "/me/applications",
    summary="Your own applications with each one's timeline, newest first (applicants)",
)
async def my_applications(session: SessionDep, caller: ApplicantCaller) -> list[ApplicationRead]:
    return await service.reads(session, caller, await service.own(session, caller))


@router.get(
    "/applications/{application_id}",
    summary="One application and its timeline: your own, or one of a posting you may read",
    description=(
        "The resident ID, phone and birth date are whole only for administrators, unit HR and "
        "system clients; others see the ID's address code and last two characters, the "
        "phone's first three and last four digits, and the birth year."
    ),
)
async def get_application(
    application_id: str, session: SessionDep, caller: ApplicationReader
) -> ApplicationRead:
    row = await service.seen(session, caller, application_id)
    return (await service.reads(session, caller, [row]))[0]


@router.get(
    "/campaigns/{campaign_id}/applications",
    summary="A campaign's applications: all for those running it, else your postings'",
)
async def list_applications(
    campaign_id: str,
    session: SessionDep,
    caller: TreeReader,
    posting_id: Annotated[str | None, Query(max_length=36)] = None,
    status: ApplicationStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[ApplicationRead]:
    rows = await service.of_campaign(
        session, caller, campaign_id, posting_id, status, limit, offset
    )
    return await service.reads(session, caller, rows)
