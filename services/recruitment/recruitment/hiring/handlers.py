"""The roster's answer to a hire, as recruitment takes it (wired in recruitment.bootstrap)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from recruitment.hiring import hires
from union_shared.clock import utc_now
from union_shared.events import Envelope, WorkerOnboarded


async def on_worker_onboarded(
    session: AsyncSession, envelope: Envelope, data: WorkerOnboarded
) -> None:
    await hires.onboarded(session, data, utc_now())
