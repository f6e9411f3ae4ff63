"""Every SQL statement of the notices, objections, offers and hires."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.applications.domain import ApplicationStatus as S
from recruitment.models import Application, Hire, Notice, NoticeEntry, Objection, Posting
from union_shared.repository import add as add
from union_shared.repository import add_all as add_all
from union_shared.repository import flush as flush


async def unlisted_proposed(
    session: AsyncSession, campaign_id: str
) -> list[tuple[Application, Posting]]:
    """The campaign's proposed hires on no notice yet, with their postings, locked."""
    listed = select(NoticeEntry.application_id)
    query = (
        select(Application, Posting)
        .join(Posting, Posting.id == Application.posting_id)
        .where(
            Application.campaign_id == campaign_id,
            Application.status == S.PROPOSED.value,
            Application.id.not_in(listed),
        )
        .order_by(Posting.code, Application.rank, Application.id)
        .with_for_update(of=Application)
    )
    return [(a, p) for a, p in (await session.execute(query)).all()]


async def notice(session: AsyncSession, notice_id: str) -> Notice | None:
    return await session.scalar(select(Notice).where(Notice.id == notice_id))


async def entries(session: AsyncSession, notice_id: str) -> list[NoticeEntry]:
    query = (
        select(NoticeEntry)
        .where(NoticeEntry.notice_id == notice_id)
        .order_by(NoticeEntry.posting_code, NoticeEntry.composite.desc(), NoticeEntry.masked_name)
    )
    return list((await session.scalars(query)).all())


async def entry_of(session: AsyncSession, application_id: str) -> NoticeEntry | None:
    return await session.scalar(
        select(NoticeEntry).where(NoticeEntry.application_id == application_id)
    )


async def objection(
    session: AsyncSession, objection_id: str, *, lock: bool = False
) -> Objection | None:
    query = select(Objection).where(Objection.id == objection_id)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def objections(session: AsyncSession, notice_id: str) -> list[Objection]:
    query = (
        select(Objection)
        .where(Objection.notice_id == notice_id)
        .order_by(Objection.raised_at, Objection.id)
    )
    return list((await session.scalars(query)).all())


async def open_objections(session: AsyncSession, application_id: str) -> int:
    query = select(func.count()).where(
        Objection.application_id == application_id, Objection.upheld.is_(None)
    )
    return int(await session.scalar(query) or 0)


async def due(session: AsyncSession, today: date) -> list[Application]:
    """Accepted applications whose start date has come, locked; the caller skips those a hire
    row already names (read again after the lock, so a concurrent run's rows are seen)."""
    query = (
        select(Application)
        .where(Application.status == S.ACCEPTED.value, Application.start_date <= today)
        .order_by(Application.start_date, Application.id)
        .with_for_update()
    )
    return list((await session.scalars(query)).all())


async def hires(session: AsyncSession, application_ids: list[str]) -> dict[str, Hire]:
    if not application_ids:
        return {}
    query = select(Hire).where(Hire.application_id.in_(application_ids))
    return {row.application_id: row for row in (await session.scalars(query)).all()}


async def hire(session: AsyncSession, application_id: str, *, lock: bool = False) -> Hire | None:
    query = select(Hire).where(Hire.application_id == application_id)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def hired_of_campaign(
    session: AsyncSession, campaign_id: str, root: str | None
) -> list[Application]:
    """A campaign's accepted and hired applications, those of postings under `root` if given."""
    query = select(Application).where(
        Application.campaign_id == campaign_id,
        Application.status.in_([S.ACCEPTED.value, S.HIRED.value]),
    )
    if root is not None:
        under = select(Posting.id).where(Posting.unit_path.startswith(root, autoescape=True))
        query = query.where(Application.posting_id.in_(under))
    query = query.order_by(Application.start_date, Application.id)
    return list((await session.scalars(query)).all())
