from __future__ import annotations

from fastapi import APIRouter

from recruitment.deps import CampaignRunner, NowDep, SessionDep
from recruitment.postings import service
from recruitment.postings.schemas import Decision, MergeDecision, PostingCreate, PostingRead
from union_shared.auth import TreeReader

router = APIRouter(tags=["postings"])


@router.post(
    "/campaigns/{campaign_id}/postings",
    status_code=201,
    summary="Add a posting to a campaign you run, in a unit under its federation",
    description=(
        "A draft until the campaign is announced (or, added later, until published). The code "
        "is the announcement's posting number, unique in the campaign (409 when taken). The "
        "unit must be under the campaign's federation and in your subtree (422 on "
        "`body.unit_id`). Refused (409) once the application window has closed."
    ),
)
async def create_posting(
    campaign_id: str, body: PostingCreate, session: SessionDep, caller: CampaignRunner,
    now: NowDep,
) -> PostingRead:  # fmt: skip
    posting = await service.create(session, caller, campaign_id, body, now)
    return PostingRead.model_validate(posting)


@router.get(
    "/campaigns/{campaign_id}/postings",
    summary="A campaign's postings: all of them for those running it, else your subtree's",
)
async def list_postings(
    campaign_id: str, session: SessionDep, caller: TreeReader
) -> list[PostingRead]:
    return [
        PostingRead.model_validate(p)
        for p in await service.of_campaign(session, caller, campaign_id)
    ]


@router.get("/postings/{posting_id}", summary="One posting")
async def get_posting(posting_id: str, session: SessionDep, caller: TreeReader) -> PostingRead:
    return PostingRead.model_validate(await service.seen(session, caller, posting_id))


@router.post(
    "/postings/{posting_id}/publish",
    summary="Publish a posting added after its campaign was announced (admins running it)",
)
async def publish(
    posting_id: str, session: SessionDep, caller: CampaignRunner, now: NowDep
) -> PostingRead:
    return PostingRead.model_validate(await service.publish(session, caller, posting_id, now))


@router.post(
    "/postings/{posting_id}/close",
    summary="Stop a published posting taking applications (admins running it)",
)
async def close(
    posting_id: str, session: SessionDep, caller: CampaignRunner, now: NowDep
) -> PostingRead:
    return PostingRead.model_validate(await service.close(session, caller, posting_id, now))


@router.post(
    "/postings/{posting_id}/cut",
    summary="Withdraw a posting from its campaign, with the decision (admins running it)",
    description="For a posting too few applied to (开考比例). The decision is kept on it and audited.",
)
async def cut(
    posting_id: str, body: Decision, session: SessionDep, caller: CampaignRunner, now: NowDep
) -> PostingRead:
    return PostingRead.model_validate(await service.cut(session, caller, posting_id, body, now))


@router.post(
    "/postings/{posting_id}/merge",
    summary="Merge a posting's places into another of the campaign, with the decision",
    description=(
        "Its quota joins the other posting's; the decision is kept on it and audited on both. "
        "The other posting must be of the same campaign, published or closed (422 on "
        "`body.into_posting_id`)."
    ),
)
async def merge(
    posting_id: str, body: MergeDecision, session: SessionDep, caller: CampaignRunner,
    now: NowDep,
) -> PostingRead:  # fmt: skip
    return PostingRead.model_validate(await service.merge(session, caller, posting_id, body, now))
