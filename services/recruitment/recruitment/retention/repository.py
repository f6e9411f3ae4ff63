"""The statements of a purge: what it would remove, and removing it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.models import Application, Posting


async def purgeable(
    session: AsyncSession, campaign_id: str, kept: Iterable[str]
) -> list[tuple[str, str, int]]:
    """(posting code, status, applications) that a purge removes."""
    query = (
        select(Posting.code, Application.status, func.count())
        .join(Posting, Posting.id == Application.posting_id)
        .where(Application.campaign_id == campaign_id, Application.status.not_in(list(kept)))
        .group_by(Posting.code, Application.status)
        .order_by(Posting.code, Application.status)
    )
    return [(code, status, n) for code, status, n in (await session.execute(query)).all()]


async def purge(session: AsyncSession, campaign_id: str, kept: Iterable[str]) -> int:
    """Delete the applications (their steps and scores go with them, by cascade)."""
    result = await session.execute(
        delete(Application)
        .where(Application.campaign_id == campaign_id, Application.status.not_in(list(kept)))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
