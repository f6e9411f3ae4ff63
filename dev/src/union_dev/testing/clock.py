"""A clock for tests: its day is pinned (and a test may move it on with `.day = ...`), so
results never drift with the real date; its instants stay real, so timestamps keep their order."""

from __future__ import annotations

from datetime import date, datetime

from union_shared.clock import DEFAULT_TIME_ZONE, Clock


class PinnedClock(Clock):
    def __init__(self, day: date, zone: str = DEFAULT_TIME_ZONE) -> None:
        super().__init__(zone)
        self.day = day

    def today(self) -> date:
        return self.day


class SetClock(Clock):
    """A clock whose instant a test sets (`.at = ...`), for rules that turn on the time of day
    (an application window opening at 09:00); its day follows the instant in the zone."""

    def __init__(self, at: datetime, zone: str = DEFAULT_TIME_ZONE) -> None:
        super().__init__(zone, instant=lambda: self.at)
        self.at = at
