from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from recruitment.deps import (
    ApplicantCaller,
    CampaignRunner,
    HireRunner,
    NoticeReader,
    NowDep,
    SessionDep,
    TodayDep,
)
from recruitment.hiring import hires, service
from recruitment.hiring.page import notice_page
from recruitment.hiring.schemas import (
    AnswerRead,
    DeclineBody,
    DueRead,
    HireRead,
    NoticeCreate,
    NoticeRead,
    ObjectionCreate,
    ObjectionRead,
    ObjectionResolve,
    OfferCreate,
    ResolutionRead,
)
from recruitment.models import Application
from union_shared.auth import TreeReader

router = APIRouter(tags=["hiring"])


@router.post(
    "/campaigns/{campaign_id}/notices",
    status_code=201,
    summary="Publish the public notice (公示) of the proposed hires (admins running the campaign)",
    description=(
        "Lists every `proposed` application of the campaign not yet on a notice, name and "
        "resident ID masked. It runs for the rules' `notice_working_days` Chinese working days "
        "counted from the day after `starts_on` (holidays and make-up working days as the "
        "State Council's notice sets them); `ends_on` is its last day. 409 "
        "(`/problems/notice-refused`) when no proposed hire waits for a notice; 422 on "
        "`body.starts_on` before today or in a year the holiday calendar does not know."
    ),
)
async def publish(
    campaign_id: str, body: NoticeCreate, session: SessionDep, caller: CampaignRunner,
    today: TodayDep, now: NowDep,
) -> NoticeRead:  # fmt: skip
    notice = await service.publish(session, caller, campaign_id, body.starts_on, today, now)
    return await service.notice_read(session, notice)


@router.get(
    "/notices/{notice_id}.html",
    response_class=HTMLResponse,
    summary="The public notice as a printable page (拟聘用人员公示): anyone signed in",
)
async def notice_html(notice_id: str, session: SessionDep, caller: NoticeReader) -> HTMLResponse:
    notice = await service.found_notice(session, notice_id)
    return HTMLResponse(notice_page(await service.notice_read(session, notice)))


@router.get(
    "/notices/{notice_id}",
    summary="The public notice: anyone signed in, applicants included; masked for all",
)
async def notice(notice_id: str, session: SessionDep, caller: NoticeReader) -> NoticeRead:
    return await service.notice_read(session, await service.found_notice(session, notice_id))


@router.post(
    "/notices/{notice_id}/objections",
    status_code=201,
    summary="Object to a hire listed on a notice while it runs (anyone signed in)",
    description=(
        "From `starts_on` to `ends_on` in Beijing time (409, `/problems/objection-refused`, "
        "outside). An open objection holds the offer back until it is resolved."
    ),
)
async def object_to(
    notice_id: str, body: ObjectionCreate, session: SessionDep, caller: NoticeReader,
    today: TodayDep, now: NowDep,
) -> ObjectionRead:  # fmt: skip
    row = await service.raise_objection(session, caller, notice_id, body, today, now)
    return ObjectionRead.model_validate(row)


@router.get(
    "/notices/{notice_id}/objections",
    summary="A notice's objections, open and resolved (admins running the campaign)",
)
async def objections(
    notice_id: str, session: SessionDep, caller: CampaignRunner
) -> list[ObjectionRead]:
    rows = await service.objections(session, caller, notice_id)
    return [ObjectionRead.model_validate(row) for row in rows]


@router.post(
    "/objections/{objection_id}/resolve",
    summary="Uphold or dismiss an objection, with the reason (admins running the campaign)",
    description=(
        "Upheld: the background review is overturned, the application is `check_failed` and "
        "the next ranked goes to the checks (递补) when the rules allow; `note` says when no "
        "one could. Dismissed: nothing moves. A reason of at least 10 characters either way."
    ),
)
async def resolve(
    objection_id: str, body: ObjectionResolve, session: SessionDep, caller: CampaignRunner,
    now: NowDep,
) -> ResolutionRead:  # fmt: skip
    row, note = await service.resolve(session, caller, objection_id, body.upheld, body.reason, now)
    return ResolutionRead(objection=ObjectionRead.model_validate(row), note=note)


def _answer(row: Application, sent: bool = False, note: str | None = None) -> AnswerRead:
    return AnswerRead(application_id=row.id, status=row.status, start_date=row.start_date,
                      hire_sent=sent, note=note)  # fmt: skip


@router.post(
    "/applications/{application_id}/offer",
    summary="Offer the post to a proposed hire whose notice has ended (admins running it)",
    description=(
        "Only for a `proposed` application whose public notice has ended with no objection "
        "about it open (409, `/problems/offer-refused`); the start date is today or later."
    ),
)
async def offer(
    application_id: str, body: OfferCreate, session: SessionDep, caller: CampaignRunner,
    today: TodayDep, now: NowDep,
) -> AnswerRead:  # fmt: skip
    return _answer(
        await service.offer(session, caller, application_id, body.start_date, today, now)
    )


@router.post(
    "/applications/{application_id}/accept",
    summary="Accept your offer (the applicant)",
    description=(
        "ApplicantHired goes to the roster at once when the start date has come, else on the "
        "start date's run of `POST /hires/due`."
    ),
)
async def accept(
    application_id: str, session: SessionDep, caller: ApplicantCaller, today: TodayDep,
    now: NowDep,
) -> AnswerRead:  # fmt: skip
    row, sent = await service.accept(session, caller, application_id, today, now)
    return _answer(row, sent)


@router.post(
    "/applications/{application_id}/decline",
    summary="Decline your offer (the applicant): the place goes to the next ranked",
)
async def decline(
    application_id: str, session: SessionDep, caller: ApplicantCaller, now: NowDep,
    body: DeclineBody | None = None,
) -> AnswerRead:  # fmt: skip
    reason = None if body is None else body.reason
    row, note = await service.decline(session, caller, application_id, reason, now)
    return _answer(row, note=note)


@router.post(
    "/hires/due",
    summary="Send every hire whose start date has come (a daily CronJob's system client)",
    description=(
        "Each accepted application's ApplicantHired goes once, however often it runs. The same "
        "run from a shell: `python -m recruitment.hiring [--today YYYY-MM-DD]`."
    ),
)
async def due(session: SessionDep, caller: HireRunner, today: TodayDep, now: NowDep) -> DueRead:
    return DueRead(sent=await hires.send_due(session, caller, today, now))


@router.get(
    "/campaigns/{campaign_id}/hires",
    summary="A campaign's accepted and hired applications, with any problem of their hire",
    description=(
        "`problem` names a hire sent over an hour ago with no worker back from the roster "
        "(the roster refused it: its dead letters say why), or a start date reached with the "
        "hire not sent. All for those running the campaign, else those of your postings."
    ),
)
async def of_campaign(
    campaign_id: str, session: SessionDep, caller: TreeReader, today: TodayDep, now: NowDep
) -> list[HireRead]:
    return await hires.of_campaign(session, caller, campaign_id, today, now)
