"""Recruitment's wiring: which handler answers which event."""

from __future__ import annotations

from recruitment.models import UNIT_TREE
from union_shared.events.catalogue import ROSTER_TOPIC
from union_shared.messaging.consumer import Handler
from union_shared.messaging.runtime import ConsumerSpec


def handlers() -> dict[str, Handler]:
    # The unit tree's events keep recruitment's copy of the tree and the stored paths current.
    return {**UNIT_TREE.handlers()}


def consumers() -> list[ConsumerSpec]:
    return [ConsumerSpec("recruitment", [ROSTER_TOPIC], handlers())]
