from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ReviewDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["qualified", "disqualified"]
    reason: str | None = Field(
        default=None,
        max_length=2000,
        description="Needed to disqualify, and to qualify an application the screen failed.",
    )


class DrawRead(BaseModel):
    posting_id: str
    moved: dict[str, str] = Field(description="Application id to the status it is in now.")
    cut_line: str | None = Field(default=None, description="The shortlist's cut line score.")
    note: str | None = Field(default=None, description="A place no one could take, and why.")


class BonusDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    granted: bool
    reason: str | None = Field(
        default=None, max_length=2000, description="Needed to refuse (at least 10 characters)."
    )
