from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from recruitment.campaigns.domain import CampaignStatus
from recruitment.rules.schema import CampaignRules
from union_shared.inputs import IsoDateTime

Name = Field(min_length=1, max_length=200)
UnitId = Field(min_length=1, max_length=36)
Reason = Field(default=None, min_length=1, max_length=2000)


class CampaignCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Name
    unit_id: str = Field(
        min_length=1, max_length=36, description="The federation running the call."
    )
    window_opens_at: IsoDateTime
    window_closes_at: IsoDateTime
    rules: CampaignRules = Field(
        default_factory=CampaignRules,
        description="The announcement's rules; every field left out takes the common default.",
    )


class WindowUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    window_opens_at: IsoDateTime
    window_closes_at: IsoDateTime


class RulesUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: CampaignRules
    reason: str | None = Field(
        default=None,
        min_length=1,
        max_length=2000,
        description="Needed once the application window has opened (at least 10 characters).",
    )


class RulesVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    rules: CampaignRules
    reason: str | None
    recorded_by: str
    recorded_at: datetime


class CampaignRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    unit_id: str
    status: CampaignStatus
    window_opens_at: datetime
    window_closes_at: datetime
    window_open: bool = Field(description="Whether applications are taken right now.")
    rules_version: int
    rules: CampaignRules
    created_by: str
    created_at: datetime
    announced_at: datetime | None
