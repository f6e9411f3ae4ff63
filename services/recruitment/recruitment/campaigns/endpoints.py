from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from recruitment.campaigns import service
from recruitment.campaigns.schemas import (
    CampaignCreate,
    CampaignRead,
    RulesUpdate,
    RulesVersionRead,
    WindowUpdate,
)
from recruitment.deps import CampaignRunner, NowDep, SessionDep
from union_shared.auth import TreeReader

router = APIRouter(tags=["campaigns"])


@router.post(
    "/campaigns",
    status_code=201,
    summary="Create a draft campaign for a federation of your subtree (admins, system)",
    description=(
        "The application window is two instants with a UTC offset; the rules document takes "
        "the common default for every field left out (weights 50/50, shortlist 1:3 or 1:2 "
        "from a quota of 10, 3 applicants a place to open a posting, interview pass mark 60, "
        "ties by composite then written score then a run-off, notice of 7 working days). "
        "Version 1 of the rules is recorded with it."
    ),
)
async def create_campaign(
    body: CampaignCreate, session: SessionDep, caller: CampaignRunner, now: NowDep
) -> CampaignRead:
    campaign = await service.create(session, caller, body, now)
    return await service.read(session, campaign, now)


@router.get(
    "/campaigns",
    summary="Campaigns run in your subtree or by a federation above it, newest first",
)
async def list_campaigns(
    session: SessionDep,
    caller: TreeReader,
    now: NowDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[CampaignRead]:
    found = await service.visible(session, caller, limit, offset)
    return [await service.read(session, campaign, now) for campaign in found]


@router.get("/campaigns/{campaign_id}", summary="One campaign with the rules in force")
async def get_campaign(
    campaign_id: str, session: SessionDep, caller: TreeReader, now: NowDep
) -> CampaignRead:
    return await service.read(session, await service.seen(session, caller, campaign_id), now)


@router.put(
    "/campaigns/{campaign_id}/rules",
    status_code=201,
    summary="Record the next version of a campaign's rules (admins running it, system)",
    description=(
        "Versions are never edited. Before the application window opens a new version needs "
        "no reason; from then on applicants rely on the rules, so a change needs a `reason` "
        "(at least 10 characters, 422 on `body.reason` without one), kept in the audit trail."
    ),
)
async def put_rules(
    campaign_id: str, body: RulesUpdate, session: SessionDep, caller: CampaignRunner,
    now: NowDep,
) -> RulesVersionRead:  # fmt: skip
    row = await service.change_rules(session, caller, campaign_id, body, now)
    return RulesVersionRead(
        version=row.version, rules=body.rules, reason=row.reason, recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )  # fmt: skip


@router.get(
    "/campaigns/{campaign_id}/rules/versions",
    summary="Every version of a campaign's rules, oldest first, with the reason for each",
)
async def rules_versions(
    campaign_id: str, session: SessionDep, caller: TreeReader
) -> list[RulesVersionRead]:
    return await service.rules_history(session, caller, campaign_id)


@router.put(
    "/campaigns/{campaign_id}/window",
    summary="Move the application window (admins running it, system)",
    description="Refused (409) once an announced campaign's window has opened.",
)
async def put_window(
    campaign_id: str, body: WindowUpdate, session: SessionDep, caller: CampaignRunner,
    now: NowDep,
) -> CampaignRead:  # fmt: skip
    campaign = await service.move_window(session, caller, campaign_id, body, now)
    return await service.read(session, campaign, now)


@router.post(
    "/campaigns/{campaign_id}/announce",
    summary="Make a draft campaign public with its draft postings (admins running it, system)",
    description=(
        "Refused (409) without a posting, once the window has closed, or when already "
        "announced. Applications are taken while the window is open."
    ),
)
async def announce(
    campaign_id: str, session: SessionDep, caller: CampaignRunner, now: NowDep
) -> CampaignRead:
    campaign = await service.announce(session, caller, campaign_id, now)
    return await service.read(session, campaign, now)
