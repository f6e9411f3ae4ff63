"""Grading's wiring: which handler answers which event, given the app's clock and settings."""

from __future__ import annotations

from grading.config import Settings
from grading.grades import handlers as grades
from grading.models import UNIT_TREE
from union_shared.clock import Clock
from union_shared.events.catalogue import ROSTER_TOPIC
from union_shared.messaging.consumer import Handler
from union_shared.messaging.handlers import HandlerContext, bind
from union_shared.messaging.runtime import ConsumerSpec


def handlers(clock: Clock, settings: Settings) -> dict[str, Handler]:
    context = HandlerContext(clock, settings)
    return {
        # The unit tree's events keep grading's copy of the tree and the workers' paths current.
        **UNIT_TREE.handlers(),
        **bind(
            context,
            {
                "WorkerOnboarded": grades.on_onboarded,
                "AppraisalRecorded": grades.on_appraisal,
                "WorkerTransferred": grades.on_transferred,
                "WorkerLeft": grades.on_left,
                "WorkerRehired": grades.on_rehired,
            },
        ),
    }


def consumers(clock: Clock, settings: Settings) -> list[ConsumerSpec]:
    return [ConsumerSpec("grading", [ROSTER_TOPIC], handlers(clock, settings))]
