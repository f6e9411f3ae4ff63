from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from union_shared.money import Money, NonNegativeMoney

PERIOD = r"^(20\d{2}|2100)-(0[1-9]|1[0-2])$"  # as a run's period: the years 2000 to 2100
MAX_LINES = 5000  # a district's 700 workers over seven months fit; a larger file is split


class GoLiveUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: str = Field(
        pattern=PERIOD,
        examples=["2026-03"],
        description="The first month (YYYY-MM) the platform pays the unit and every unit under "
        "it that has no go-live of its own.",
    )


class GoLiveRead(BaseModel):
    unit_id: str = Field(description="The unit the go-live was set on.")
    period: str
    recorded_by: str
    recorded_at: datetime


class GoLiveOf(BaseModel):
    unit_id: str
    governing: GoLiveRead | None = Field(
        description="The go-live in force for the unit: its own, else its nearest ancestor's; "
        "null when none is set (then only months a locked run paid owe arrears)."
    )


class DeclaredPayLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    worker_id: str = Field(min_length=1, max_length=36)
    period: str = Field(pattern=PERIOD, examples=["2025-11"], description="A month before go-live.")
    gross: NonNegativeMoney = Field(
        description="The gross earnings paid for the month outside the platform (two decimals)."
    )


class DeclaredPayCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str = Field(
        min_length=1,
        max_length=200,
        examples=["hexi-2025-payroll.xlsx"],
        description="Where the figures come from (kept with each line and in the audit trail).",
    )
    lines: list[DeclaredPayLine] = Field(min_length=1, max_length=MAX_LINES)


class DeclaredPayResult(BaseModel):
    declared: int = Field(description="Lines stored.")
    replaced: int = Field(description="Of them, months declared before whose amount changed.")


class DeclaredPayRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    period: str
    gross: Money
    source: str
    recorded_by: str
    recorded_at: datetime
