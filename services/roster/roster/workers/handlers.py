"""Recruitment's events, as the roster answers them (wired in roster.bootstrap)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from roster.config import Settings
from roster.workers import hiring
from union_shared.events import ApplicantHired, Envelope
from union_shared.messaging.handlers import HandlerContext


async def on_applicant_hired(
    session: AsyncSession,
    envelope: Envelope,
    data: ApplicantHired,
    context: HandlerContext[Settings],
) -> None:
    await hiring.hire(session, data)
