"""Grading's GradeReevaluated, as payroll prices it (wired in payroll.bootstrap)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from payroll.adjustments import service
from payroll.config import Settings
from payroll.freeze import facts_changing
from payroll.pay.policy import shipped_pay_policies
from union_shared.events import Envelope, GradeReevaluated
from union_shared.messaging.handlers import HandlerContext

Context = HandlerContext[Settings]


async def on_reevaluated(
    session: AsyncSession, envelope: Envelope, data: GradeReevaluated, context: Context
) -> None:
    await facts_changing(session)
    book = shipped_pay_policies()[context.settings.pay_policy]
    await service.reevaluate_or_park(session, book, envelope, data, context.clock.today())
