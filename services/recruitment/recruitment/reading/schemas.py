from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field


class PostingFigures(BaseModel):
    posting_id: str
    code: str
    title: str
    unit_id: str
    quota: int
    status: str
    applicants: int = Field(description="Applications not withdrawn.")
    by_status: dict[str, int]
    applicants_per_place: Decimal = Field(description="Rounded down to two places.")
    opens: bool = Field(description="Whether the posting reaches the opening ratio (开考比例).")
    opening: str = Field(description="The opening check in words.")
    shortlist_cut: Decimal | None = Field(description="The written cut line, once drawn.")


class Dashboard(BaseModel):
    campaign_id: str
    postings: list[PostingFigures]
    by_status: dict[str, int] = Field(description="Across the postings shown.")
