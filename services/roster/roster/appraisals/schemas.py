from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from union_shared.money import exact_decimal
from union_shared.vocabulary import Rating

# Appraisal and satisfaction scores: 0 to 100 with at most two places (NUMERIC(5,2)).
Score = exact_decimal(2, ge=0, le=100, floats=True)


class AppraisalFields(BaseModel):
    rating: Rating
    score: Score | None = None
    satisfaction_score: Score | None = Field(
        default=None, description="Worker-satisfaction survey result."
    )
    comments: str | None = Field(default=None, max_length=2000)


class AppraisalCreate(AppraisalFields):
    year: int = Field(ge=1900, le=2100, description="From the hire year on, up to this year.")


class AppraisalRevision(AppraisalFields):
    reason: str = Field(min_length=1, max_length=1000, description="Why the rating is corrected.")


class AppraisalRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    worker_id: str
    unit_id: str
    year: int
    revision: int
    rating: Rating
    score: Decimal | None
    satisfaction_score: Decimal | None
    comments: str | None
    correction_reason: str | None
    recorded_by: str
    recorded_at: datetime


class AppraisalRecordedReply(BaseModel):
    appraisal: AppraisalRead
    warnings: list[str] = Field(
        description="Advice that does not block the record, e.g. the excellent-rating share."
    )
