from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from roster.contracts.domain import ContractKind


class ContractCreate(BaseModel):
    kind: ContractKind
    start_date: date
    end_date: date | None = Field(
        default=None, description="Last day of a fixed-term contract; absent when open-ended."
    )
    probation_end: date | None = Field(
        default=None, description="Last day of probation, if any (once per worker, art. 19)."
    )
    signed_on: date = Field(
        description="When the written contract was signed; may be after the start (signed late)."
    )


class ContractRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    worker_id: str
    kind: ContractKind
    start_date: date
    end_date: date | None
    probation_end: date | None
    signed_on: date
    recorded_by: str
    recorded_at: datetime
