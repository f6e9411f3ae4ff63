from __future__ import annotations

from fastapi import APIRouter

from recruitment.deps import CampaignRunner, NowDep, SessionDep
from recruitment.retention import service
from recruitment.retention.schemas import PurgeReport

router = APIRouter(tags=["retention"])


@router.post(
    "/campaigns/{campaign_id}/purge",
    summary="Purge the applicant data of those not hired, once retention is over (admins running it)",
    description=(
        "From `retention_years` (2 by default) after the application window closed; refused "
        "before (409, `/problems/retention-not-over`). Every application not accepted or "
        "hired is deleted with its steps and scores; the reply reports how many, by posting "
        "and status. `dry_run=true` reports without deleting. Audited with the counts."
    ),
)
async def purge(
    campaign_id: str, session: SessionDep, caller: CampaignRunner, now: NowDep,
    dry_run: bool = False,
) -> PurgeReport:  # fmt: skip
    return await service.purge(session, caller, campaign_id, dry_run, now)
