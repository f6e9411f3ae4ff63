"""Purging the applicant data of those not hired once a campaign's retention period is over,
with a report of what was (or, as a dry run, would be) removed. Audited with the counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.campaigns import service as campaigns
from recruitment.retention import repository
from recruitment.retention.domain import KEPT, check_due, purge_from
from recruitment.retention.schemas import PurgedGroup, PurgeReport
from union_shared.audit import record_audit
from union_shared.auth import Caller


async def purge(
    session: AsyncSession, caller: Caller, campaign_id: str, dry_run: bool, now: datetime
) -> PurgeReport:
    campaign = await campaigns.run_by(session, caller, campaign_id)
    rules = await campaigns.rules_of(session, campaign)
    check_due(campaign.window_closes_at, rules.retention_years, now)
    kept = [s.value for s in KEPT]
    groups = await repository.purgeable(session, campaign.id, kept)
    report = PurgeReport(
        campaign_id=campaign.id,
        dry_run=dry_run,
        purgeable_from=purge_from(campaign.window_closes_at, rules.retention_years),
        groups=[PurgedGroup(posting_code=c, status=s, applications=n) for c, s, n in groups],
        applications=sum(n for _, _, n in groups),
    )
    if not dry_run and report.applications:
        removed = await repository.purge(session, campaign.id, kept)
        await record_audit(
            session, caller, "campaign.applicants_purged", "campaign", campaign.id,
            changes={"applications": removed,
                     "by_status": {f"{g.posting_code}/{g.status}": g.applications
                                   for g in report.groups}},
            reason=f"retention of {rules.retention_years} year(s) over",
        )  # fmt: skip
    return report
