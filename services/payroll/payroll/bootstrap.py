"""Payroll's wiring: which handler answers which event, given the app's clock and settings."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from payroll.adjustments import handlers as adjustments
from payroll.config import Settings
from payroll.freeze import facts_changing, record_change
from payroll.models import UNIT_TREE
from payroll.workers import handlers as workers
from union_shared.clock import Clock
from union_shared.events import Envelope, UnitMoved
from union_shared.events.catalogue import GRADING_TOPIC, ROSTER_TOPIC
from union_shared.messaging.consumer import Handler
from union_shared.messaging.handlers import HandlerContext, bind
from union_shared.messaging.runtime import ConsumerSpec


def handlers(clock: Clock, settings: Settings) -> dict[str, Handler]:
    context = HandlerContext(clock, settings)
    return {
        **_unit_tree_handlers(),
        **bind(
            context,
            {
                "WorkerOnboarded": workers.on_onboarded,
                "WorkerTransferred": workers.on_transferred,
                "WorkerLeft": workers.on_left,
                "WorkerRehired": workers.on_rehired,
                "GradeReevaluated": adjustments.on_reevaluated,
            },
        ),
    }


def consumers(clock: Clock, settings: Settings) -> list[ConsumerSpec]:
    return [ConsumerSpec("payroll", [ROSTER_TOPIC, GRADING_TOPIC], handlers(clock, settings))]


def _unit_tree_handlers() -> dict[str, Handler]:
    """A move changes which runs pay whom, so it waits for a computing run like any fact, and
    makes stale the drafts of both subtrees, the one it leaves and the one it joins."""

    def changing(handler: Handler) -> Handler:
        async def handle(session: AsyncSession, envelope: Envelope, data) -> None:
            await facts_changing(session)
            await handler(session, envelope, data)
            if isinstance(data, UnitMoved):
                for path in (data.from_path, data.to_path):
                    await record_change(session, "unit_moved", unit_path=path)

        return handle

    return {name: changing(handler) for name, handler in UNIT_TREE.handlers().items()}
