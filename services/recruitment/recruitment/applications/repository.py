"""Every SQL statement about applications and their recorded steps."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, and_, bindparam, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.models import (
    Application,
    ApplicationEvent,
    BonusClaim,
    Campaign,
    CampaignRulesVersion,
    Hire,
    Posting,
)
from union_shared.repository import add as add
from union_shared.repository import flush as flush


async def application(
    session: AsyncSession, application_id: str, *, lock: bool = False
) -> Application | None:
    query = select(Application).where(Application.id == application_id)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


# What a submission checks, in one statement built once: the campaign, the posting when it is
# one of the campaign's (else NULLs), and the document of the rules version in force.
_OPENING = (
    select(
        Campaign.id, Campaign.status, Campaign.window_opens_at, Campaign.window_closes_at,
        Posting.id.label("posting_id"), Posting.status.label("posting_status"),
        Posting.requirements, CampaignRulesVersion.document.label("rules"),
    )
    .select_from(Campaign)
    .outerjoin(Posting, and_(
        Posting.id == bindparam("posting_id"), Posting.campaign_id == Campaign.id,
    ))
    .outerjoin(CampaignRulesVersion, and_(
        CampaignRulesVersion.campaign_id == Campaign.id,
        CampaignRulesVersion.version == Campaign.rules_version,
    ))
    .where(Campaign.id == bindparam("campaign_id"))
)  # fmt: skip


async def opening(session: AsyncSession, campaign_id: str, posting_id: str) -> Row | None:
    """The campaign, the posting and the rules a submission is checked against; None when
    there is no such campaign."""
    params = {"campaign_id": campaign_id, "posting_id": posting_id}
    return (await session.execute(_OPENING, params)).first()


_INSERT_APPLICATION = insert(Application.__table__)
_INSERT_CLAIMS = insert(BonusClaim.__table__)
_INSERT_STEP = insert(ApplicationEvent.__table__)


async def insert_unique(session: AsyncSession, application: dict[str, Any]) -> bool:
    """Insert a new application's row (a Core statement: nothing of the ORM is needed for a
    row no one has loaded); False when the person already applied to the campaign. The unique
    index decides, so two submissions at the same instant cannot both pass. The caller's
    transaction is then spoiled and must end with the refusal."""
    try:
        await session.execute(_INSERT_APPLICATION, application)
    except IntegrityError:
        return False
    return True


async def insert_claims(session: AsyncSession, claims: list[dict[str, Any]]) -> None:
    if claims:
        await session.execute(_INSERT_CLAIMS, claims)


async def insert_step(session: AsyncSession, step: dict[str, Any]) -> None:
    await session.execute(_INSERT_STEP, step)


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
