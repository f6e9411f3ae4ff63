"""Every SQL statement about applications and their recorded steps."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Select, and_, bindparam, insert, select
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


_CAMPAIGNS, _POSTINGS = Campaign.__table__.c, Posting.__table__.c
_RULES = CampaignRulesVersion.__table__.c


def _opening(with_rules: bool) -> Select:
    """What a submission checks, in one statement: the campaign, the posting when it is one of
    the campaign's (else NULLs) and, when asked, the document of the rules version in force.
    Table columns, not ORM attributes: a plain row needs none of the ORM's loading."""
    columns = [
        _CAMPAIGNS.id, _CAMPAIGNS.status, _CAMPAIGNS.window_opens_at, _CAMPAIGNS.window_closes_at,
        _POSTINGS.id.label("posting_id"), _POSTINGS.status.label("posting_status"),
        _POSTINGS.requirements,
    ]  # fmt: skip
    joined = Campaign.__table__.outerjoin(
        Posting.__table__,
        and_(_POSTINGS.id == bindparam("posting_id"), _POSTINGS.campaign_id == _CAMPAIGNS.id),
    )
    if with_rules:
        columns.append(_RULES.document.label("rules"))
        joined = joined.outerjoin(CampaignRulesVersion.__table__, and_(
            _RULES.campaign_id == _CAMPAIGNS.id, _RULES.version == _CAMPAIGNS.rules_version,
        ))  # fmt: skip
    return select(*columns).select_from(joined).where(_CAMPAIGNS.id == bindparam("campaign_id"))


# Built once: most submissions claim no bonus item, and need no rules.
_OPENING, _OPENING_WITH_RULES = _opening(False), _opening(True)


async def opening(
    session: AsyncSession, campaign_id: str, posting_id: str, *, with_rules: bool
) -> Row | None:
    """The campaign, the posting (and the rules) a submission is checked against; None when
    there is no such campaign."""
    params = {"campaign_id": campaign_id, "posting_id": posting_id}
    query = _OPENING_WITH_RULES if with_rules else _OPENING
    return (await session.execute(query, params)).first()


_INSERT_APPLICATION = insert(Application.__table__)
_INSERT_CLAIMS = insert(BonusClaim.__table__)
_INSERT_STEP = insert(ApplicationEvent.__table__)
# The columns a submission writes, in the step's and the application's parameters.
_APPLICATION_COLUMNS = (
    "id", "campaign_id", "posting_id", "id_hash", "resident_id", "name", "sex", "birth_date",
    "phone", "email", "education", "majors", "residence_region", "years_experience",
    "qualification", "documents", "applicant_subject", "status", "screening", "submitted_at",
    "updated_at", "bonus_points", "run_off_needed",
)  # fmt: skip
_STEP_COLUMNS = (
    "id",
    "application_id",
    "kind",
    "status_from",
    "status_to",
    "actor",
    "at",
    "reason",
    "detail",
)


def _values(table: Any, columns: tuple[str, ...], prefix: str) -> dict[str, Any]:
    return {name: bindparam(prefix + name, type_=table.c[name].type) for name in columns}


# On PostgreSQL the application and its first step go in one statement (one round trip): a
# data-modifying CTE, whose row the step's foreign key sees at the end of the statement.
_INSERT_BOTH = insert(ApplicationEvent.__table__).values(
    _values(ApplicationEvent.__table__, _STEP_COLUMNS, "s_")
).add_cte(
    insert(Application.__table__)
    .values(_values(Application.__table__, _APPLICATION_COLUMNS, "a_"))
    .returning(Application.__table__.c.id)
    .cte("application")
)  # fmt: skip


async def insert_submission(
    session: AsyncSession, application: dict[str, Any], step: dict[str, Any],
    claims: list[dict[str, Any]],
) -> bool:  # fmt: skip
    """Insert a new application, its first step and its bonus claims (Core statements: nothing
    of the ORM is needed for rows no one has loaded); False when the person already applied to
    the campaign. The unique index decides, so two submissions at the same instant cannot
    both pass. The caller's transaction is then spoiled and must end with the refusal."""
    try:
        if session.get_bind().dialect.name == "postgresql":
            params = {f"a_{k}": application.get(k) for k in _APPLICATION_COLUMNS}
            params.update({f"s_{k}": v for k, v in step.items()})
            await session.execute(_INSERT_BOTH, params)
        else:
            await session.execute(_INSERT_APPLICATION, application)
            await session.execute(_INSERT_STEP, step)
    except IntegrityError:
        return False
    if claims:
        await session.execute(_INSERT_CLAIMS, claims)
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
