from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from roster.contracts.domain import ContractKind
from union_shared.inputs import IsoDate


class ContractCreate(BaseModel):
    kind: ContractKind
    start_date: IsoDate
    end_date: IsoDate | None = Field(
        default=None, description="Last day of a fixed-term contract; absent when open-ended."
    )
    probation_end: IsoDate | None = Field(
        default=None, description="Last day of probation, if any (once per worker, art. 19)."
    )
    signed_on: IsoDate = Field(
        description="When the written contract was signed; may be after the start (signed late)."
    )


class ContractRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    worker_id: str
    kind: ContractKind
    start_date: IsoDate
    end_date: IsoDate | None
    probation_end: IsoDate | None
    signed_on: IsoDate
    recorded_by: str
    recorded_at: datetime
