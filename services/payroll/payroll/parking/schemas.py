from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class ParkedEventRead(BaseModel):
    """What waits and since when; never the payload (the worker's grade and appraisal)."""

    event_id: str
    type: str = Field(description="The event type, e.g. GradeReevaluated.")
    source: str = Field(description="The service that published it.")
    worker_id: str = Field(description="The worker payroll has not heard of yet.")
    effective_date: date | None = Field(description="From when the event changes the grade.")
    event_time: datetime = Field(description="When the event was published.")
    parked_at: datetime
    age_seconds: int = Field(ge=0, description="How long it has waited, by the app's clock.")


class ParkedEventsRead(BaseModel):
    count: int = Field(ge=0, description="Every parked event, however many are listed.")
    oldest_age_seconds: int | None = Field(description="The oldest one's wait; null when none.")
    items: list[ParkedEventRead] = Field(description="Oldest first, up to `limit`.")
