from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from roster.units.domain import UnitKind
from union_shared.inputs import IsoDate


class UnitCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: UnitKind
    parent_id: str | None = Field(default=None, description="Absent only for a city federation.")


class UnitRename(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class UnitMove(BaseModel):
    parent_id: str


class UnitClose(BaseModel):
    closed_on: IsoDate
    reason: str = Field(min_length=1, max_length=500)


class UnitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    kind: UnitKind
    parent_id: str | None
    path: str = Field(description="Ids from the root down, '/'-separated.")
    status: str
    closed_on: IsoDate | None
    created_at: datetime
