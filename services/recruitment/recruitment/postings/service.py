"""Posting use cases: add to a campaign, read within scope, publish, close, cut, merge. Audited;
the caller's request owns the transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.campaigns import service as campaigns
from recruitment.campaigns.domain import CampaignStatus
from recruitment.ids import new_id
from recruitment.models import Campaign, Posting
from recruitment.postings import repository
from recruitment.postings.domain import PostingStatus, check_action, check_merge, decision
from recruitment.postings.schemas import Decision, MergeDecision, PostingCreate
from recruitment.scope import caller_scope, runs, unit_path
from union_shared.audit import record_audit
from union_shared.auth import Caller
from union_shared.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleBroken


async def create(
    session: AsyncSession, caller: Caller, campaign_id: str, body: PostingCreate, now: datetime
) -> Posting:
    campaign = await campaigns.run_by(session, caller, campaign_id)
    if now >= campaign.window_closes_at:
        raise RuleBroken(None, "the campaign's application window has closed")
    path = await unit_path(session, caller, body.unit_id, "body.unit_id")
    if not path.startswith(campaign.unit_path):
        raise InvalidInput.on_field(
            "body.unit_id", f"unit {body.unit_id} is not under the campaign's federation"
        )
    if await repository.by_code(session, campaign.id, body.code) is not None:
        raise Conflict(f"the campaign already has a posting {body.code}")
    posting = Posting(
        id=new_id(), campaign_id=campaign.id, unit_id=body.unit_id, unit_path=path,
        code=body.code, title=body.title, quota=body.quota,
        requirements=body.requirements.model_dump(mode="json"),
        status=PostingStatus.DRAFT.value, created_by=caller.label, created_at=now,
    )  # fmt: skip
    await repository.add(session, posting)
    await record_audit(
        session, caller, "posting.created", "posting", posting.id,
        changes={"campaign_id": campaign.id, "code": body.code, "quota": body.quota},
    )  # fmt: skip
    return posting


async def of_campaign(session: AsyncSession, caller: Caller, campaign_id: str) -> list[Posting]:
    """All the postings for those who run the campaign, else those in the caller's subtree."""
    campaign = await campaigns.seen(session, caller, campaign_id)
    return await repository.of_campaign(
        session, campaign.id, await reading_root(session, caller, campaign)
    )


async def reading_root(session: AsyncSession, caller: Caller, campaign: Campaign) -> str | None:
    """The subtree whose postings (and their applications) the caller reads in a campaign they
    see: None, every posting, for those who run it."""
    scope = await caller_scope(session, caller)
    return None if runs(scope, campaign) else scope.root


async def seen(session: AsyncSession, caller: Caller, posting_id: str) -> Posting:
    posting = await found(session, posting_id)
    scope = await caller_scope(session, caller)
    if not scope.covers(posting.unit_path):
        campaign = await campaigns.seen(session, caller, posting.campaign_id)
        if not runs(scope, campaign):
            raise Forbidden(f"posting {posting_id} is outside your part of the unit tree")
    return posting


async def run_by(
    session: AsyncSession, caller: Caller, posting_id: str
) -> tuple[Posting, Campaign]:
    """A posting of a campaign the caller runs, both locked: the campaign first, then the
    posting, the order every request locks them in (recruitment.stages.locks)."""
    campaign_id = await repository.campaign_of(session, posting_id)
    if campaign_id is None:
        raise NotFound(f"no posting {posting_id}")
    campaign = await campaigns.run_by(session, caller, campaign_id)
    return await found(session, posting_id, lock=True), campaign


async def found(session: AsyncSession, posting_id: str, *, lock: bool = False) -> Posting:
    posting = await repository.posting(session, posting_id, lock=lock)
    if posting is None:
        raise NotFound(f"no posting {posting_id}")
    return posting


async def publish(session: AsyncSession, caller: Caller, posting_id: str, now: datetime) -> Posting:
    """A posting added after its campaign was announced is published on its own."""
    posting, campaign = await run_by(session, caller, posting_id)
    check_action("publish", PostingStatus(posting.status))
    if campaign.status != CampaignStatus.ANNOUNCED:
        raise RuleBroken(None, "its campaign is not announced yet: announcing publishes it")
    return await _set(session, caller, posting, PostingStatus.PUBLISHED, "posting.published")


async def close(session: AsyncSession, caller: Caller, posting_id: str, now: datetime) -> Posting:
    posting, _ = await run_by(session, caller, posting_id)
    check_action("close", PostingStatus(posting.status))
    return await _set(session, caller, posting, PostingStatus.CLOSED, "posting.closed")


async def cut(
    session: AsyncSession, caller: Caller, posting_id: str, body: Decision, now: datetime
) -> Posting:
    posting, _ = await run_by(session, caller, posting_id)
    check_action("cut", PostingStatus(posting.status))
    _decide(posting, caller, decision(body.reason), now)
    return await _set(session, caller, posting, PostingStatus.CUT, "posting.cut", posting.decision)


async def merge(
    session: AsyncSession, caller: Caller, posting_id: str, body: MergeDecision, now: datetime
) -> Posting:
    """Its places join the other posting's quota, and its applications move with them (each
    with a recorded step, keeping its status and screening); the decision is recorded on
    both postings."""
    posting, _ = await run_by(session, caller, posting_id)
    check_action("merge", PostingStatus(posting.status))
    reason = decision(body.reason)
    into = await repository.posting(session, body.into_posting_id, lock=True)
    if into is None:
        raise InvalidInput.on_field("body.into_posting_id", f"no posting {body.into_posting_id}")
    check_merge(
        posting.id, into.id, PostingStatus(into.status), into.campaign_id == posting.campaign_id
    )
    into.quota += posting.quota
    posting.merged_into = into.id
    _decide(posting, caller, reason, now)
    moved = await repository.move_applications(
        session, posting.id, into.id, caller.label, now,
        f"posting {posting.code} merged into {into.code}: {reason}",
    )  # fmt: skip
    await record_audit(
        session, caller, "posting.merged_in", "posting", into.id,
        changes={"from_posting_id": posting.id, "quota": into.quota, "applications": moved},
        reason=reason,
    )  # fmt: skip
    return await _set(session, caller, posting, PostingStatus.MERGED, "posting.merged", reason)


def _decide(posting: Posting, caller: Caller, reason: str, now: datetime) -> None:
    posting.decision, posting.decided_by, posting.decided_at = reason, caller.label, now


async def _set(
    session: AsyncSession, caller: Caller, posting: Posting, status: PostingStatus, action: str,
    reason: str | None = None,
) -> Posting:  # fmt: skip
    before = posting.status
    posting.status = status.value
    await repository.flush(session)
    await record_audit(
        session, caller, action, "posting", posting.id,
        changes={"status": [before, status.value]}, reason=reason,
    )  # fmt: skip
    return posting
