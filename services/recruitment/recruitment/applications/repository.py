"""Every SQL statement about applications and their recorded steps."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.models import Application, ApplicationEvent, BonusClaim, Hire, Posting
from union_shared.repository import add as add
from union_shared.repository import flush as flush


async def application(
    session: AsyncSession, application_id: str, *, lock: bool = False
) -> Application | None:
    query = select(Application).where(Application.id == application_id)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def of_person(session: AsyncSession, campaign_id: str, id_hash: str) -> Application | None:
    query = select(Application).where(
        Application.campaign_id == campaign_id, Application.id_hash == id_hash
    )
    return await session.scalar(query)


async def add_unique(session: AsyncSession, row: Application) -> bool:
    """Insert the application; False when the person already applied to the campaign (the
    unique index decides, so two submissions at the same instant cannot both pass). The
    caller's transaction is then spoiled and must end with the refusal."""
    try:
        await add(session, row)
    except IntegrityError:
        return False
    return True


async def of_subject(session: AsyncSession, subject: str) -> list[Application]:
    query = (
        select(Application)
        .where(Application.applicant_subject == subject)
        .order_by(Application.submitted_at.desc())
    )
    return list((await session.scalars(query)).all())


async def of_campaign(
    session: AsyncSession, campaign_id: str, root: str | None, posting_id: str | None,
    status: str | None, limit: int, offset: int,
) -> list[Application]:  # fmt: skip
    """A campaign's applications, those of postings under `root` when given."""
    query = select(Application).where(Application.campaign_id == campaign_id)
    if root is not None:
        under = select(Posting.id).where(Posting.unit_path.startswith(root, autoescape=True))
        query = query.where(Application.posting_id.in_(under))
    if posting_id is not None:
        query = query.where(Application.posting_id == posting_id)
    if status is not None:
        query = query.where(Application.status == status)
    query = query.order_by(Application.submitted_at, Application.id).limit(limit).offset(offset)
    return list((await session.scalars(query)).all())


async def steps(
    session: AsyncSession, application_ids: list[str]
) -> dict[str, list[ApplicationEvent]]:
    query = (
        select(ApplicationEvent)
        .where(ApplicationEvent.application_id.in_(application_ids))
        .order_by(ApplicationEvent.at, ApplicationEvent.id)
    )
    found: dict[str, list[ApplicationEvent]] = {i: [] for i in application_ids}
    for row in (await session.scalars(query)).all():
        found[row.application_id].append(row)
    return found


async def claims(session: AsyncSession, application_ids: list[str]) -> dict[str, list[BonusClaim]]:
    query = (
        select(BonusClaim)
        .where(BonusClaim.application_id.in_(application_ids))
        .order_by(BonusClaim.application_id, BonusClaim.code)
    )
    found: dict[str, list[BonusClaim]] = {i: [] for i in application_ids}
    for row in (await session.scalars(query)).all():
        found[row.application_id].append(row)
    return found


async def claim(session: AsyncSession, application_id: str, code: str) -> BonusClaim | None:
    return await session.get(BonusClaim, (application_id, code))


async def hire_sent(session: AsyncSession, application_id: str) -> bool:
    return await session.get(Hire, application_id) is not None
