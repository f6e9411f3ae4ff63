"""The roster's events about workers, as payroll keeps them (wired in payroll.bootstrap)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from payroll.adjustments.service import apply_parked
from payroll.config import Settings
from payroll.pay.policy import shipped_pay_policies
from payroll.workers import service
from union_shared.events import (
    Envelope,
    WorkerLeft,
    WorkerOnboarded,
    WorkerRehired,
    WorkerTransferred,
)
from union_shared.messaging.handlers import HandlerContext

Context = HandlerContext[Settings]


async def on_onboarded(
    session: AsyncSession, envelope: Envelope, data: WorkerOnboarded, context: Context
) -> None:
    worker = await service.onboard(session, envelope, data, context.clock.now())
    if worker is not None:
        book = shipped_pay_policies()[context.settings.pay_policy]
        await apply_parked(session, worker, book, context.clock.today())


async def on_transferred(
    session: AsyncSession, envelope: Envelope, data: WorkerTransferred, context: Context
) -> None:
    await service.transfer(session, envelope, data, context.clock.now())


async def on_left(
    session: AsyncSession, envelope: Envelope, data: WorkerLeft, context: Context
) -> None:
    await service.leave(session, envelope, data, context.clock.now())


async def on_rehired(
    session: AsyncSession, envelope: Envelope, data: WorkerRehired, context: Context
) -> None:
    await service.rehire(session, envelope, data, context.clock.now())
