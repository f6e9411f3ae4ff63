from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from grading.ladder.policy import StepReading
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
    steps_after_post_change: StepReading | None = Field(
        default=None,
        description=(
            "Or (alone or with post_thresholds): only change how later seniority steps combine "
            "with a post reached by merit in the one in force."
        ),
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


class StepReadingComparisonCreate(BaseModel):
    as_of: IsoDate
    unit_id: str | None = Field(
        default=None, description="The unit whose subtree is compared; default the caller's."
    )


class WorkerReadings(BaseModel):
    worker_id: str
    unit_id: str
    policy_id: str
    policy_version: int
    in_force: StepReading = Field(description="The reading of the version that grades the worker.")
    level_carried: GradeAt
    level_from_service: GradeAt
    differs: bool
    levels_apart: int = Field(
        description="The level under level_from_service minus the level under level_carried "
        "(the post is the same under both readings)."
    )


class StepReadingComparison(BaseModel):
    as_of: IsoDate
    workers: int = Field(description="Workers compared: those graded on a post-and-level ladder.")
    differing: int = Field(description="Workers whose grade differs between the two readings.")
    on_rank_ladders: int = Field(
        description="Workers graded by a rank policy, where the choice does not apply: not compared."
    )
    level_carried: list[DistributionRow] = Field(description="The subtree under level_carried.")
    level_from_service: list[DistributionRow] = Field(
        description="The subtree under level_from_service."
    )
    moves: dict[str, int] = Field(
        description='"middle 5 -> middle 4": how many workers hold the first grade under '
        "level_carried and the second under level_from_service."
    )
    by_worker: list[WorkerReadings] = Field(description="Every compared worker, by worker id.")
