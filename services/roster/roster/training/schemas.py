from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from roster.models import Mentorship
from roster.training.domain import MentorRole, TrainingKind
from union_shared.inputs import IsoDate
from union_shared.money import exact_decimal

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]

# Hours are exact: kept as Decimal from the request to the NUMERIC(6,1) column, and always shown
# with one decimal place ("16" is stored and read back as "16.0").
Hours = Annotated[
    exact_decimal(1, gt=0, le=Decimal("99999.9"), fixed=True, floats=True),
    Field(
        description='Hours of training, at most one decimal place: "16.5" (a string keeps it '
        "exact; a JSON number is accepted).",
        examples=["16.5"],
    ),
]


class TrainingCreate(BaseModel):
    kind: TrainingKind
    title: Text200
    start_date: IsoDate
    end_date: IsoDate
    hours: Hours
    provider: Text200 | None = None


class TrainingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    worker_id: str
    kind: TrainingKind
    title: str
    start_date: IsoDate
    end_date: IsoDate
    hours: Decimal
    provider: str | None
    recorded_by: str
    recorded_at: datetime


class TrainingAlertRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str = Field(description="pre_job_training_missing | rotation_training_overdue")
    due_on: IsoDate
    detail: str


class MentorshipCreate(BaseModel):
    mentor_id: str
    mentee_id: str
    start_date: IsoDate
    end_date: IsoDate | None = Field(default=None, description="Last day; absent while it runs.")


class MentorshipEnd(BaseModel):
    end_date: IsoDate = Field(description="The pair's last day.")


class MentorshipRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    mentor_id: str
    mentee_id: str
    start_date: IsoDate
    end_date: IsoDate | None
    recorded_by: str
    recorded_at: datetime


class WorkerMentorshipRead(MentorshipRead):
    """A pair seen from one worker's file, with the part they play in it."""

    role: MentorRole

    @classmethod
    def of(cls, pair: Mentorship, worker_id: str) -> WorkerMentorshipRead:
        role = MentorRole.MENTOR if pair.mentor_id == worker_id else MentorRole.MENTEE
        return cls.model_validate(
            {**MentorshipRead.model_validate(pair).model_dump(), "role": role}
        )
