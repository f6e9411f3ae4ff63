"""The one order in which requests lock rows: campaign, then posting, then application.

Requests that change several of them (settling the checks, a withdrawal that frees a place, an
offer, an objection upheld) each lock what they change. Taken in opposite orders by two
requests, the locks deadlock and PostgreSQL aborts one of them (a 500): a withdrawal held its
application and waited for the posting while the settling of the checks held the posting and
waited for the application. So each of them reads the ids it needs without locking anything,
then locks in this order; a row is loaded for the first time by its locking read, so what it
holds is what was committed when the lock was granted."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.campaigns import service as campaigns
from recruitment.models import Campaign, Posting
from recruitment.postings import service as postings
from recruitment.stages import repository
from union_shared.auth import Caller
from union_shared.errors import NotFound


async def campaign_of_application(
    session: AsyncSession, caller: Caller, application_id: str
) -> Campaign:
    """The campaign of an application, run by the caller and locked, before the application
    is locked."""
    return await campaigns.run_by(session, caller, (await _owners(session, application_id))[0])


async def posting_of_application(session: AsyncSession, application_id: str) -> Posting:
    """The posting of an application, locked before the application is."""
    return await postings.found(session, (await _owners(session, application_id))[1], lock=True)


async def _owners(session: AsyncSession, application_id: str) -> tuple[str, str]:
    found = await repository.owners(session, application_id)
    if found is None:
        raise NotFound(f"no application {application_id}")
    return found
