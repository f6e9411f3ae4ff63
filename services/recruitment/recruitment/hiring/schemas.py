from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from recruitment.applications.domain import ApplicationStatus
from union_shared.inputs import IsoDate


class NoticeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts_on: IsoDate = Field(
        description="The day of publication; the period counts from the next."
    )


class NoticeEntryRead(BaseModel):
    """One proposed hire as the notice prints it: masked, whoever reads it."""

    model_config = ConfigDict(from_attributes=True)

    application_id: str
    posting_code: str
    posting_title: str
    name: str = Field(validation_alias="masked_name", description="Masked: 张*三.")
    resident_id: str = Field(
        validation_alias="masked_resident_id",
        description="Masked to the address code and the last two characters.",
    )
    composite: Decimal | None


class NoticeRead(BaseModel):
    id: str
    campaign_id: str
    campaign_name: str
    starts_on: date
    ends_on: date = Field(description="The notice's last working day (Chinese calendar).")
    published_at: datetime
    entries: list[NoticeEntryRead]


class ObjectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    application_id: str = Field(min_length=1, max_length=36)
    text: str = Field(min_length=1, max_length=4000)


class ObjectionResolve(BaseModel):
    model_config = ConfigDict(extra="forbid")

    upheld: bool = Field(description="Upheld: the background review is overturned (check_failed).")
    reason: str = Field(max_length=2000, description="At least 10 characters.")


class ObjectionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    notice_id: str
    application_id: str
    text: str
    raised_at: datetime
    upheld: bool | None = Field(description="None while open.")
    resolution: str | None
    resolved_at: datetime | None


class ResolutionRead(BaseModel):
    objection: ObjectionRead
    note: str | None = Field(default=None, description="A place no one could take, and why.")


class OfferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start_date: IsoDate = Field(description="The first day of work.")


class DeclineBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=2000)


class AnswerRead(BaseModel):
    application_id: str
    status: ApplicationStatus
    start_date: date | None
    hire_sent: bool = Field(description="ApplicantHired is in the outbox for the roster.")
    note: str | None = Field(default=None, description="A place no one could take, and why.")


class DueRead(BaseModel):
    sent: list[str] = Field(description="Applications whose ApplicantHired was sent now.")


class HireRead(BaseModel):
    application_id: str
    posting_id: str
    name: str
    status: ApplicationStatus
    start_date: date | None
    hire_sent_at: datetime | None
    worker_id: str | None
    problem: str | None = Field(
        description="What is wrong, e.g. a hire sent over an hour ago with no worker back."
    )
