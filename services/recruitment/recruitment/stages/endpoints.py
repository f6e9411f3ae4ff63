from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter

from recruitment.applications import service as applications
from recruitment.applications.domain import ApplicationStatus
from recruitment.applications.schemas import ApplicationRead
from recruitment.deps import CampaignRunner, NowDep, Reviewer, SessionDep
from recruitment.stages import service
from recruitment.stages.schemas import BonusDecision, DrawRead, ReviewDecision

router = APIRouter(tags=["stages"])


@router.post(
    "/applications/{application_id}/review",
    summary="Qualification review of a screened application (HR and admins of the posting)",
    description=(
        "`qualified` sits the written exam; `disqualified` ends the application. Disqualifying, "
        "and qualifying an application the automatic screen failed, need a `reason` (at "
        "least 10 characters, 422 on `body.reason`). Reviewed again until the posting's "
        "shortlist is drawn (409 after)."
    ),
)
async def review(
    application_id: str, body: ReviewDecision, session: SessionDep, caller: Reviewer,
    now: NowDep,
) -> ApplicationRead:  # fmt: skip
    row = await service.review(
        session, caller, application_id, ApplicationStatus(body.decision), body.reason, now
    )
    return (await applications.reads(session, caller, [row]))[0]


@router.post(
    "/applications/{application_id}/bonus-claims/{code}/review",
    summary="Grant or refuse a claimed bonus item (HR and admins of the posting)",
    description=(
        "Only granted items count: the largest alone or all added up, as the campaign's "
        "rules say, to their cap; the points take part in the shortlist. Refusing needs a "
        "`reason` (422 on `body.reason`). Reviewed again until the shortlist is drawn."
    ),
)
async def review_bonus(
    application_id: str, code: str, body: BonusDecision, session: SessionDep,
    caller: Reviewer, now: NowDep,
) -> ApplicationRead:  # fmt: skip
    row = await service.review_bonus(
        session, caller, application_id, code, body.granted, body.reason, now
    )
    return (await applications.reads(session, caller, [row]))[0]


def _draw(draw: service.Draw) -> DrawRead:
    return DrawRead(**asdict(draw))


@router.post(
    "/postings/{posting_id}/shortlist",
    summary="Draw the interview shortlist from the written scores (admins running the campaign)",
    description=(
        "After the window closes. Qualified applicants with a written score (plus bonus points "
        "where the rules add them to it) take ratio × quota places (1:3, or 1:2 from a quota "
        "of 10), and everyone tied with the last place passes too; the rest, absent ones "
        "included, are not shortlisted. Drawn again after a correction until the posting is "
        "ranked."
    ),
)
async def shortlist(
    posting_id: str, session: SessionDep, caller: CampaignRunner, now: NowDep
) -> DrawRead:
    return _draw(await service.draw_shortlist(session, caller, posting_id, now))


@router.post(
    "/postings/{posting_id}/ranking",
    summary="Compute the composite and rank of the interviewed (admins running the campaign)",
    description=(
        "Composite = written × weight + interview × weight (plus bonus points where the rules "
        "put them), rounded half up to two places; ranked by the tie-break chain, a tie after "
        "it waiting for run-off scores. Ranked again until the checks begin."
    ),
)
async def ranking(
    posting_id: str, session: SessionDep, caller: CampaignRunner, now: NowDep
) -> DrawRead:
    return _draw(await service.rank_posting(session, caller, posting_id, now))


@router.post(
    "/postings/{posting_id}/checks",
    summary="Send the top ranked to the medical check and background review, 1:1 by rank",
    description=(
        "quota × check_ratio places, among those at or above the interview pass mark. A tie "
        "across the last place is refused (409, `/problems/run-off-needed`) until run-off "
        "scores settle it."
    ),
)
async def checks(
    posting_id: str, session: SessionDep, caller: CampaignRunner, now: NowDep
) -> DrawRead:
    return _draw(await service.start_checks(session, caller, posting_id, now))


@router.post(
    "/postings/{posting_id}/checks/settle",
    summary="Propose those who passed both checks; a failure's place goes to the next ranked",
    description=(
        "Results are imported as scores of kind medical and background. Passed both: "
        "`proposed`, for the public notice. Failed either: `check_failed` with the reason, and "
        "the next ranked applicant above the interview pass mark goes to the checks (递补) "
        "unless the rules forbid replacement; `note` says when no one could."
    ),
)
async def settle(
    posting_id: str, session: SessionDep, caller: CampaignRunner, now: NowDep
) -> DrawRead:
    return _draw(await service.settle_checks(session, caller, posting_id, now))
