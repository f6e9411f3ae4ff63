from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from roster.honours.domain import AwardLevel, Post
from union_shared.inputs import IsoDate

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class AwardCreate(BaseModel):
    year: int = Field(ge=1900, le=9999, description="The year the award is for.")
    title: Text200
    level: AwardLevel
    awarded_by: Text200 | None = None


class AwardRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    worker_id: str
    year: int
    title: str
    level: AwardLevel
    awarded_by: str | None
    recorded_by: str
    recorded_at: datetime


class PostHeldCreate(BaseModel):
    post: Post
    unit_id: str = Field(description="The union or federation that elected the worker.")
    term_start: IsoDate
    term_end: IsoDate = Field(description="The day the term ends; a successor may start that day.")
    elected_on: IsoDate | None = None


class PostHeldRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    worker_id: str
    post: Post
    unit_id: str
    term_start: IsoDate
    term_end: IsoDate
    elected_on: IsoDate | None
    recorded_by: str
    recorded_at: datetime
