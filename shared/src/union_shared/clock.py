"""The one clock: what time it is (an aware UTC instant) and what day it is where the
federations work (a date in the platform's time zone, Asia/Shanghai unless TIME_ZONE says
otherwise).

"Today" is never a UTC date: between 00:00 and 08:00 in China that is still yesterday, and a
seniority step, a contract check or an as-of default would fall a day short. Each app holds one
Clock (`app.state.clock`, built from its settings); handlers get it from the service's
bootstrap, endpoints through `union_shared.deps.TodayDep`, the CronJob from its settings, and
code that only stamps a time reads it through `utc_now()`. Tests pass their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

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


# The clock of the app whose request or background task is running: set per request by the
# app's middleware and for its consumers and relay by its lifespan (union_shared.app), so code
# that only stamps a time (`utc_now()`) reads the app's clock without being handed it.
_current: ContextVar[Clock | None] = ContextVar("clock", default=None)
_SYSTEM = Clock()


def utc_now() -> datetime:
    """This instant by the running app's clock: aware, in UTC. For stored timestamps."""
    return (_current.get() or _SYSTEM).now()


@contextmanager
def using(clock: Clock) -> Iterator[Clock]:
    token = _current.set(clock)
    try:
        yield clock
    finally:
        _current.reset(token)


class ClockMiddleware:
    """Runs each request under its app's clock (see `utc_now`)."""

    def __init__(self, app, clock: Clock) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope, receive, send) -> None:
        with using(self.clock):
            await self.app(scope, receive, send)
