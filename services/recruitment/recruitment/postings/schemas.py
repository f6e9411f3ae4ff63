from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from recruitment.postings.domain import PostingStatus
from recruitment.rules.eligibility import Requirements


class PostingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_id: str = Field(
        min_length=1, max_length=36, description="The unit offering the places: in the subtree "
        "of the campaign's federation.",
    )  # fmt: skip
    code: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$",
        description="The announcement's posting number, unique in the campaign.",
    )
    title: str = Field(min_length=1, max_length=200)
    quota: int = Field(ge=1, le=10_000, description="Places offered.")
    requirements: Requirements = Field(default_factory=Requirements)


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)


class MergeDecision(Decision):
    into_posting_id: str = Field(min_length=1, max_length=36)


class PostingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    campaign_id: str
    unit_id: str
    code: str
    title: str
    quota: int
    requirements: Requirements
    status: PostingStatus
    merged_into: str | None
    decision: str | None
    decided_by: str | None
    decided_at: datetime | None
    created_by: str
    created_at: datetime
