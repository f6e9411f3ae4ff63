from __future__ import annotations

from pydantic import BaseModel, Field

from union_shared.inputs import IsoDate


class Change(BaseModel):
    effective_date: IsoDate
    reason: str = Field(min_length=1, max_length=1000)


class Transfer(Change):
    to_unit_id: str
