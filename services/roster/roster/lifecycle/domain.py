"""The worker lifecycle: hired (probation) → active → transferred / suspended → left.

Transitions are dated; each is checked against the worker's status and the last dated event so
the history never runs backwards.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from union_shared.errors import RuleBroken


class Status(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    LEFT = "left"


class Move(StrEnum):
    TRANSFER = "transferred"
    SUSPEND = "suspended"
    RESUME = "resumed"
    LEAVE = "left"


# Which status each move starts from, and which it leads to.
TRANSITIONS: dict[Move, tuple[frozenset[Status], Status]] = {
    Move.TRANSFER: (frozenset({Status.ACTIVE, Status.SUSPENDED}), Status.ACTIVE),
    Move.SUSPEND: (frozenset({Status.ACTIVE}), Status.SUSPENDED),
    Move.RESUME: (frozenset({Status.SUSPENDED}), Status.ACTIVE),
    Move.LEAVE: (frozenset({Status.ACTIVE, Status.SUSPENDED}), Status.LEFT),
}


class TransitionRefused(RuleBroken):
    """A rule of this feature refused the input (see RuleBroken)."""


def check_transition(
    move: Move, status: Status, effective: date, hire_date: date, last_event: date | None
) -> Status:
    """The status after `move`, or why it cannot happen."""
    allowed_from, result = TRANSITIONS[move]
    if status not in allowed_from:
        raise TransitionRefused(None, f"a worker who is {status} cannot be {move}")
    if effective < hire_date:
        raise TransitionRefused("effective_date", f"before the hire date {hire_date}")
    if last_event is not None and effective < last_event:
        raise TransitionRefused(
            "effective_date",
            f"before the last recorded change on {last_event}; history runs forward",
        )
    if move is Move.TRANSFER and status is Status.SUSPENDED:
        return Status.SUSPENDED  # a transfer does not end a suspension
    return result
