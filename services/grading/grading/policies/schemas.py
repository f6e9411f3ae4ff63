from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from union_shared.inputs import IsoDate


class PolicyVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    policy_id: str
    version: int
    effective_from: IsoDate
    published_by: str
    published_at: datetime
    document: dict[str, Any]


class AssignmentUpdate(BaseModel):
    policy_id: str = Field(min_length=1)


class AssignmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    unit_id: str
    policy_id: str
    assigned_by: str
    assigned_at: datetime
