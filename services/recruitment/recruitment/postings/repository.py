"""Every SQL statement about postings."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.models import Posting
from recruitment.postings.domain import PostingStatus
from union_shared.repository import add as add
from union_shared.repository import flush as flush


async def posting(session: AsyncSession, posting_id: str, *, lock: bool = False) -> Posting | None:
    query = select(Posting).where(Posting.id == posting_id)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def by_code(session: AsyncSession, campaign_id: str, code: str) -> Posting | None:
    query = select(Posting).where(Posting.campaign_id == campaign_id, Posting.code == code)
    return await session.scalar(query)


async def of_campaign(session: AsyncSession, campaign_id: str, root: str | None) -> list[Posting]:
    """The campaign's postings, in the subtree under `root` when given, by code."""
    query = select(Posting).where(Posting.campaign_id == campaign_id).order_by(Posting.code)
    if root is not None:
        query = query.where(Posting.unit_path.startswith(root, autoescape=True))
    return list((await session.scalars(query)).all())


async def publish_drafts(session: AsyncSession, campaign_id: str) -> int:
    result = await session.execute(
        update(Posting)
        .where(Posting.campaign_id == campaign_id, Posting.status == PostingStatus.DRAFT.value)
        .values(status=PostingStatus.PUBLISHED.value)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount or 0
