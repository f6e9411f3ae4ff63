"""Events parked until their worker is onboarded (payroll.adjustments.service parks
GradeReevaluated when the roster's WorkerOnboarded has not arrived): what operators see, and the
gauges that alert when something waits too long (a worker the roster never announced)."""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI
from prometheus_client import Gauge
from sqlalchemy.ext.asyncio import AsyncSession

from payroll.models import ParkedEvent
from payroll.parking import repository
from payroll.parking.schemas import ParkedEventRead, ParkedEventsRead
from union_shared.clock import utc_now
from union_shared.identifiers import mask_text

SERVICE = "payroll"
PARKED = Gauge(
    "payroll_parked_events", "Events parked until their worker is onboarded", ["service"]
)
PARKED_OLDEST = Gauge(
    "payroll_parked_event_oldest_age_seconds",
    "How long the oldest parked event has waited (0 when none)",
    ["service"],
)


def _age(parked_at: datetime, now: datetime) -> int:
    return max(0, int((now - parked_at).total_seconds()))


def _read(row: ParkedEvent, now: datetime) -> ParkedEventRead:
    envelope, data = row.envelope, row.envelope.get("data", {})
    return ParkedEventRead(
        event_id=row.event_id,
        type=envelope.get("type", ""),
        source=mask_text(envelope.get("source", "")),
        worker_id=mask_text(row.worker_id),  # an id, but a roster may key workers by anything
        effective_date=data.get("effective_date"),
        event_time=envelope["time"],
        parked_at=row.parked_at,
        age_seconds=_age(row.parked_at, now),
    )


async def parked(session: AsyncSession, limit: int) -> ParkedEventsRead:
    now = utc_now()
    count, oldest = await repository.count_and_oldest(session)
    return ParkedEventsRead(
        count=count,
        oldest_age_seconds=None if oldest is None else _age(oldest, now),
        items=[_read(row, now) for row in await repository.waiting(session, limit)],
    )


async def refresh_gauges(app: FastAPI) -> None:
    """Read the parked events' count and oldest age into the gauges (before each scrape)."""
    async with app.state.sessions() as session:
        count, oldest = await repository.count_and_oldest(session)
    PARKED.labels(SERVICE).set(count)
    PARKED_OLDEST.labels(SERVICE).set(0 if oldest is None else _age(oldest, utc_now()))
