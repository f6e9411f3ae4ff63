"""Recruitment's wiring: which handler answers which event."""

from __future__ import annotations

from recruitment.hiring.handlers import on_worker_onboarded
from recruitment.models import UNIT_TREE
from union_shared.events.catalogue import ROSTER_TOPIC
from union_shared.messaging.consumer import Handler
from union_shared.messaging.runtime import ConsumerSpec


def handlers() -> dict[str, Handler]:
    # The unit tree's events keep recruitment's copy of the tree and the stored paths current;
    # WorkerOnboarded naming one of recruitment's applications completes its hire.
    return {**UNIT_TREE.handlers(), "WorkerOnboarded": on_worker_onboarded}


def consumers() -> list[ConsumerSpec]:
    return [ConsumerSpec("recruitment", [ROSTER_TOPIC], handlers())]
