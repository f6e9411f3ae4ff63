"""The one clock: what time it is (an aware UTC instant) and what day it is where the
federations work (a date in the platform's time zone, Asia/Shanghai unless TIME_ZONE says
otherwise).

"Today" is never a UTC date: between 00:00 and 08:00 in China that is still yesterday, and a
seniority step, a contract check or an as-of default would fall a day short. Each app holds one
Clock (`app.state.clock`, built from its settings); handlers get it from the service's
bootstrap, endpoints through `TodayDep`, the CronJob from its settings. Tests pass their own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Request

DEFAULT_TIME_ZONE = "Asia/Shanghai"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Clock:
    def __init__(
        self, zone: str | ZoneInfo = DEFAULT_TIME_ZONE, instant: Callable[[], datetime] = _utc_now
    ) -> None:
        self.zone = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
        self._instant = instant

    def now(self) -> datetime:
        """This instant, timezone-aware, in UTC (timestamps are stored as UTC)."""
        return self._instant().astimezone(UTC)

    def today(self) -> date:
        """The calendar date in the platform's time zone at this instant."""
        return self._instant().astimezone(self.zone).date()

    def __repr__(self) -> str:
        return f"Clock({self.zone.key!r})"


def app_clock(request: Request) -> Clock:
    return request.app.state.clock


def today(request: Request) -> date:
    return request.app.state.clock.today()


ClockDep = Annotated[Clock, Depends(app_clock)]
TodayDep = Annotated[date, Depends(today)]
