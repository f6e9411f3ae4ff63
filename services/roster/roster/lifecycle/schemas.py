from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class Change(BaseModel):
    effective_date: date
    reason: str = Field(min_length=1, max_length=1000)


class Transfer(Change):
    to_unit_id: str
