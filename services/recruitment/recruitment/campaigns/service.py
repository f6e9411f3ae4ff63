"""Campaign use cases: create, read within scope, change the rules (a new version each time),
move the window, announce. Audited; the caller's request owns the transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.campaigns import repository
from recruitment.campaigns.domain import (
    CampaignStatus,
    Window,
    check_announce,
    check_window_change,
    rules_change_reason,
)
from recruitment.campaigns.schemas import (
    CampaignCreate,
    CampaignRead,
    RulesUpdate,
    RulesVersionRead,
    WindowUpdate,
)
from recruitment.ids import new_id
from recruitment.models import Campaign, CampaignRulesVersion
from recruitment.postings import repository as postings
from recruitment.rules.schema import CampaignRules, parse_rules
from recruitment.scope import caller_scope, require_runs, sees, unit_path
from union_shared.audit import record_audit
from union_shared.auth import Caller
from union_shared.errors import Forbidden, NotFound


def window_of(campaign: Campaign) -> Window:
    return Window(campaign.window_opens_at, campaign.window_closes_at)


async def create(
    session: AsyncSession, caller: Caller, body: CampaignCreate, now: datetime
) -> Campaign:
    path = await unit_path(session, caller, body.unit_id, "body.unit_id")
    Window(body.window_opens_at, body.window_closes_at)
    campaign = Campaign(
        id=new_id(), name=body.name, unit_id=body.unit_id, unit_path=path,
        status=CampaignStatus.DRAFT.value, window_opens_at=body.window_opens_at,
        window_closes_at=body.window_closes_at, rules_version=1, created_by=caller.label,
        created_at=now, announced_at=None,
    )  # fmt: skip
    await repository.add(session, campaign)
    await _record_rules(session, caller, campaign, body.rules, None, now)
    await record_audit(
        session, caller, "campaign.created", "campaign", campaign.id,
        changes={"name": body.name, "unit_id": body.unit_id},
    )  # fmt: skip
    return campaign


async def visible(session: AsyncSession, caller: Caller, limit: int, offset: int) -> list[Campaign]:
    scope = await caller_scope(session, caller)
    return await repository.visible(session, scope.root, limit, offset)


async def seen(session: AsyncSession, caller: Caller, campaign_id: str) -> Campaign:
    """A campaign the caller may read (404 when there is none, 403 when it is out of scope)."""
    campaign = await found(session, campaign_id)
    if not sees(await caller_scope(session, caller), campaign):
        raise Forbidden(f"campaign {campaign_id} is outside your part of the unit tree")
    return campaign


async def run_by(session: AsyncSession, caller: Caller, campaign_id: str) -> Campaign:
    """A campaign the caller runs, locked for the change they are making."""
    campaign = await found(session, campaign_id, lock=True)
    require_runs(await caller_scope(session, caller), campaign)
    return campaign


async def found(session: AsyncSession, campaign_id: str, *, lock: bool = False) -> Campaign:
    campaign = await repository.campaign(session, campaign_id, lock=lock)
    if campaign is None:
        raise NotFound(f"no campaign {campaign_id}")
    return campaign


async def rules_of(session: AsyncSession, campaign: Campaign) -> CampaignRules:
    row = await repository.rules_version(session, campaign.id, campaign.rules_version)
    assert row is not None  # every campaign is created with its version 1
    return parse_rules(row.document)


async def change_rules(
    session: AsyncSession, caller: Caller, campaign_id: str, body: RulesUpdate, now: datetime
) -> CampaignRulesVersion:
    campaign = await run_by(session, caller, campaign_id)
    reason = rules_change_reason(window_of(campaign), now, body.reason)
    campaign.rules_version += 1
    row = await _record_rules(session, caller, campaign, body.rules, reason, now)
    await record_audit(
        session, caller, "campaign.rules_changed", "campaign", campaign.id,
        changes={"version": campaign.rules_version}, reason=reason,
    )  # fmt: skip
    return row


async def _record_rules(
    session: AsyncSession, caller: Caller, campaign: Campaign, rules: CampaignRules,
    reason: str | None, now: datetime,
) -> CampaignRulesVersion:  # fmt: skip
    row = CampaignRulesVersion(
        campaign_id=campaign.id, version=campaign.rules_version,
        document=rules.model_dump(mode="json"), reason=reason, recorded_by=caller.label,
        recorded_at=now,
    )  # fmt: skip
    await repository.add(session, row)
    return row


async def rules_history(
    session: AsyncSession, caller: Caller, campaign_id: str
) -> list[RulesVersionRead]:
    campaign = await seen(session, caller, campaign_id)
    return [
        RulesVersionRead(
            version=row.version,
            rules=parse_rules(row.document),
            reason=row.reason,
            recorded_by=row.recorded_by,
            recorded_at=row.recorded_at,
        )
        for row in await repository.rules_versions(session, campaign.id)
    ]


async def move_window(
    session: AsyncSession, caller: Caller, campaign_id: str, body: WindowUpdate, now: datetime
) -> Campaign:
    campaign = await run_by(session, caller, campaign_id)
    check_window_change(CampaignStatus(campaign.status), window_of(campaign), now)
    Window(body.window_opens_at, body.window_closes_at)
    before = [campaign.window_opens_at.isoformat(), campaign.window_closes_at.isoformat()]
    campaign.window_opens_at, campaign.window_closes_at = (
        body.window_opens_at,
        body.window_closes_at,
    )
    await repository.flush(session)
    await record_audit(
        session, caller, "campaign.window_moved", "campaign", campaign.id,
        changes={"before": before, "after": [body.window_opens_at.isoformat(),
                                             body.window_closes_at.isoformat()]},
    )  # fmt: skip
    return campaign


async def announce(
    session: AsyncSession, caller: Caller, campaign_id: str, now: datetime
) -> Campaign:
    """Make the campaign public: its draft postings are published with it."""
    campaign = await run_by(session, caller, campaign_id)
    count = await repository.posting_count(session, campaign.id)
    check_announce(CampaignStatus(campaign.status), window_of(campaign), now, count)
    campaign.status, campaign.announced_at = CampaignStatus.ANNOUNCED.value, now
    published = await postings.publish_drafts(session, campaign.id)
    await record_audit(
        session, caller, "campaign.announced", "campaign", campaign.id,
        changes={"postings_published": published},
    )  # fmt: skip
    return campaign


async def read(session: AsyncSession, campaign: Campaign, now: datetime) -> CampaignRead:
    return CampaignRead(
        id=campaign.id, name=campaign.name, unit_id=campaign.unit_id,
        status=CampaignStatus(campaign.status), window_opens_at=campaign.window_opens_at,
        window_closes_at=campaign.window_closes_at,
        window_open=campaign.status == CampaignStatus.ANNOUNCED and window_of(campaign).is_open(now),
        rules_version=campaign.rules_version, rules=await rules_of(session, campaign),
        created_by=campaign.created_by, created_at=campaign.created_at,
        announced_at=campaign.announced_at,
    )  # fmt: skip
