"""Every SQL statement about postings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.ids import new_id
from recruitment.models import Application, ApplicationEvent, Posting
from recruitment.postings.domain import PostingStatus
from union_shared.repository import add as add
from union_shared.repository import flush as flush


async def posting(session: AsyncSession, posting_id: str, *, lock: bool = False) -> Posting | None:
    query = select(Posting).where(Posting.id == posting_id)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def campaign_of(session: AsyncSession, posting_id: str) -> str | None:
    """A posting's campaign id, read without loading or locking the posting."""
    return await session.scalar(select(Posting.campaign_id).where(Posting.id == posting_id))


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


async def move_applications(
    session: AsyncSession, from_id: str, to_id: str, actor: str, at: datetime, reason: str
) -> int:
    """Move a merged posting's applications to the posting it joined, a step each."""
    rows = (
        await session.execute(
            select(Application.id, Application.status).where(Application.posting_id == from_id)
        )
    ).all()
    if not rows:
        return 0
    await session.execute(
        update(Application)
        .where(Application.posting_id == from_id)
        .values(posting_id=to_id, updated_at=at)
        .execution_options(synchronize_session=False)
    )
    session.add_all(
        ApplicationEvent(
            id=new_id(),
            application_id=application_id,
            kind="posting_merged",
            status_from=status,
            status_to=status,
            actor=actor,
            at=at,
            reason=reason,
            detail={"from_posting_id": from_id, "to_posting_id": to_id},
        )
        for application_id, status in rows
    )
    await session.flush()
    return len(rows)
