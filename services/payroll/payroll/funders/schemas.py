from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from payroll.pay.funders import Percent
from union_shared.inputs import IsoDate


class Funder(StrEnum):
    """The budgets that may pay a unit's workers (DOMAIN.md, "Funders")."""

    NATIONAL = "national"  # 全总, the national federation
    PROVINCIAL = "provincial"
    CITY = "city"
    DISTRICT = "district"
    TOWNSHIP = "township"  # the township or street finance office


class FundersUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    effective_from: IsoDate
    shares: dict[Funder, Percent] = Field(
        description="Percent per funder as decimal strings; they must total exactly 100.",
        examples=[{"city": "60", "district": "40"}],
    )


class FundersRead(BaseModel):
    unit_id: str
    effective_from: IsoDate
    shares: dict[str, str]
    recorded_by: str
    recorded_at: datetime


class FundersHistory(BaseModel):
    unit_id: str
    in_force: FundersRead | None = Field(description="The shares in force on `as_of`.")
    history: list[FundersRead] = Field(description="Every version, oldest first.")
