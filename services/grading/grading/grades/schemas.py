from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from union_shared.inputs import IsoDate


class ReasonRead(BaseModel):
    rule: str
    detail: str


class GradeRead(BaseModel):
    worker_id: str
    as_of: IsoDate
    policy_id: str
    policy_version: int
    post: str
    level: int
    effective_date: IsoDate = Field(description="When the grade held on `as_of` took effect.")
    reasons: list[ReasonRead] = Field(description="Which rule, which appraisals, which years.")
    flags: list[str] = Field(
        description="Matters for a person to review, e.g. an incompetent year."
    )


class IntervalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    post: str
    level: int
    start: IsoDate
    end: IsoDate | None
    policy_id: str
    policy_version: int
    reasons: list[dict[str, str]]
    cause: str
    cause_event_id: str | None
    recorded_at: datetime
    superseded_at: datetime | None


class DistributionRow(BaseModel):
    post: str
    level: int
    workers: int


class Distribution(BaseModel):
    unit_id: str | None
    total: int
    rows: list[DistributionRow]


class SeniorityRunCreate(BaseModel):
    as_of: IsoDate


class SeniorityRunRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    as_of: IsoDate
    started_at: datetime
    finished_at: datetime | None
    evaluated: int = Field(description="Workers due for review on the date.")
    changed: int = Field(description="Workers whose grade changed (each sent GradeReevaluated).")
    requested_by: str


class SimulationCreate(BaseModel):
    as_of: IsoDate
    unit_id: str | None = None
    policy: dict[str, Any] | None = Field(
        default=None,
        description="A whole draft policy document to try instead of the one in force.",
    )
    post_thresholds: dict[str, int] | None = Field(
        default=None,
        description="Or: only change the excellent-rating thresholds of the one in force.",
    )


class GradeAt(BaseModel):
    post: str
    level: int


class WorkerDifference(BaseModel):
    worker_id: str
    before: GradeAt
    after: GradeAt


class Simulation(BaseModel):
    as_of: IsoDate
    workers: int
    changed: int
    before: list[DistributionRow]
    after: list[DistributionRow]
    moves: dict[str, int] = Field(description='"junior 5 -> middle 5": how many workers move so.')
    differences: list[WorkerDifference]
