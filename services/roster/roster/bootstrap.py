"""The roster's wiring: which handler answers which event, given the app's clock and settings."""

from __future__ import annotations

from roster.config import Settings
from roster.workers import handlers as workers
from union_shared.clock import Clock
from union_shared.events.catalogue import RECRUITMENT_TOPIC
from union_shared.messaging.consumer import Handler
from union_shared.messaging.handlers import HandlerContext, bind
from union_shared.messaging.runtime import ConsumerSpec


def handlers(clock: Clock, settings: Settings) -> dict[str, Handler]:
    return bind(HandlerContext(clock, settings), {"ApplicantHired": workers.on_applicant_hired})


def consumers(clock: Clock, settings: Settings) -> list[ConsumerSpec]:
    return [ConsumerSpec("roster", [RECRUITMENT_TOPIC], handlers(clock, settings))]
