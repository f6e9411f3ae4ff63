"""Every SQL statement about campaigns and their rules' versions."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.models import Campaign, CampaignRulesVersion, Posting
from union_shared.repository import add as add
from union_shared.repository import flush as flush


async def campaign(
    session: AsyncSession, campaign_id: str, *, lock: bool = False
) -> Campaign | None:
    query = select(Campaign).where(Campaign.id == campaign_id)
    if lock:
        query = query.with_for_update()  # one change of a campaign at a time (PostgreSQL)
    return await session.scalar(query)


async def visible(
    session: AsyncSession, root: str | None, limit: int, offset: int
) -> list[Campaign]:
    """Campaigns run in the subtree under `root`, or by a federation above it (whose postings
    may be in it); every campaign when `root` is None."""
    query = select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id)
    if root is not None:
        above = func.substr(root, 1, func.length(Campaign.unit_path)) == Campaign.unit_path
        query = query.where(or_(Campaign.unit_path.startswith(root, autoescape=True), above))
    return list((await session.scalars(query.limit(limit).offset(offset))).all())


async def rules_version(
    session: AsyncSession, campaign_id: str, version: int
) -> CampaignRulesVersion | None:
    return await session.get(CampaignRulesVersion, (campaign_id, version))


async def rules_versions(session: AsyncSession, campaign_id: str) -> list[CampaignRulesVersion]:
    query = (
        select(CampaignRulesVersion)
        .where(CampaignRulesVersion.campaign_id == campaign_id)
        .order_by(CampaignRulesVersion.version)
    )
    return list((await session.scalars(query)).all())


async def posting_count(session: AsyncSession, campaign_id: str) -> int:
    query = select(func.count()).select_from(Posting).where(Posting.campaign_id == campaign_id)
    return int(await session.scalar(query) or 0)
