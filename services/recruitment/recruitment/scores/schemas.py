"""Request and response models of score imports and scorers' declared relations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from recruitment.scores.domain import Outcome
from recruitment.scores.kinds import ScoreKind


class RelationKind(StrEnum):
    """The relations that oblige a scorer to step aside (回避, DOMAIN.md "recusal")."""

    SPOUSE = "spouse"  # 夫妻关系
    DIRECT_LINE = "direct_line"  # 直系血亲
    COLLATERAL = "collateral_within_three_generations"  # 三代以内旁系血亲
    CLOSE_IN_LAW = "close_in_law"  # 近姻亲


class ReportRow(BaseModel):
    row: int  # the spreadsheet's row number (the header is row 1)
    application_id: str
    old: str | None  # "85.50", or "pass"/"fail"; None when nothing was recorded
    new: str
    reason: str | None = None  # a pass or fail's reason, as imported
    outcome: Outcome


class ImportCounts(BaseModel):
    new: int
    changed: int
    unchanged: int


class ScoreImportReport(BaseModel):
    campaign_id: str
    kind: ScoreKind
    dry_run: bool
    import_id: str | None  # None for a dry run: nothing was stored
    counts: ImportCounts
    rows: list[ReportRow]


class RelationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resident_id: str = Field(min_length=1, max_length=40)
    kind: RelationKind
    # Declared for another scorer (their token's subject) by those running the campaign;
    # omitted, the caller declares their own.
    scorer_subject: str | None = Field(default=None, min_length=1, max_length=200)


class RelationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    campaign_id: str
    scorer_subject: str
    kind: RelationKind
    declared_by: str
    declared_at: datetime
    # The application of the person named, when they applied to the campaign; shown to those
    # running it only (null in the declaration's reply).
    application_id: str | None = None
