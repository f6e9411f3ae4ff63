"""A campaign's rules as data (DOMAIN.md, "Recruitment"): they vary by province and by call, so
every figure an announcement states is a field here, never a constant in code.

A campaign's rules are versioned with the campaign: frozen once its application window opens,
after which a change is a new version with a reason (recruitment.campaigns). Every field has the
default that DOMAIN.md calls the common one.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

CODE = r"^[a-z][a-z0-9_]*$"
# Scores and points: exact decimals with at most two places, as the announcements state them.
Points = Annotated[Decimal, Field(ge=0, le=1000, max_digits=6, decimal_places=2)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Weights(_Doc):
    """The composite's weights in percent: composite = written × w/100 + interview × i/100."""

    written: Percent = Decimal(50)
    interview: Percent = Decimal(50)

    @model_validator(mode="after")
    def _whole(self) -> Weights:
        if self.written + self.interview != 100:
            raise ValueError(f"weights must add up to 100, not {self.written} + {self.interview}")
        return self


class Shortlist(_Doc):
    """Interview shortlist: `ratio` candidates per place (1:3), `large_ratio` (1:2) for a
    posting whose quota is `large_quota` (10) or more. Everyone tied at the cut passes."""

    ratio: int = Field(default=3, ge=1, le=50)
    large_quota: int = Field(default=10, ge=1, le=10_000)
    large_ratio: int = Field(default=2, ge=1, le=50)


class PassMarks(_Doc):
    """The least score that passes each stage; None: that stage has no pass mark."""

    written: Points | None = None
    interview: Points | None = Decimal(60)


class TieBreak(StrEnum):
    COMPOSITE = "composite"
    WRITTEN = "written"
    INTERVIEW = "interview"
    # A further test of the tied candidates (加试); until its scores exist the tie stands.
    RUN_OFF = "run_off"


class BonusCombination(StrEnum):
    HIGHEST_ONLY = "highest_only"  # only the largest granted item counts
    CUMULATIVE = "cumulative"  # granted items add up, to the cap


class BonusItem(_Doc):
    """One kind of bonus point (加分), e.g. +5 for two years in a grassroots service programme,
    or +3/+2/+1 for veterans by merit class. Granted only after review."""

    code: str = Field(pattern=CODE, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    points: Points


class Bonus(_Doc):
    items: tuple[BonusItem, ...] = ()
    combination: BonusCombination = BonusCombination.HIGHEST_ONLY
    cap: Points = Decimal(5)
    # The score the granted points are added to before the shortlist is drawn.
    added_to: TieBreak = TieBreak.WRITTEN

    @model_validator(mode="after")
    def _sane(self) -> Bonus:
        codes = [item.code for item in self.items]
        if len(set(codes)) != len(codes):
            raise ValueError(f"bonus item codes must be unique: {codes}")
        if self.added_to not in (TieBreak.WRITTEN, TieBreak.COMPOSITE):
            raise ValueError("bonus points are added to the written score or the composite")
        return self


class Rounding(StrEnum):
    HALF_UP = "half_up"  # 四舍五入, as the announcements state it


class CampaignRules(_Doc):
    """Everything an announcement fixes about how a campaign's candidates are ranked."""

    weights: Weights = Weights()
    shortlist: Shortlist = Shortlist()
    # 开考比例: a posting needs this many applicants per place to open; below it the posting is
    # flagged to be cut or merged.
    min_applicants_per_place: int = Field(default=3, ge=1, le=100)
    pass_marks: PassMarks = PassMarks()
    max_score: Points = Decimal(100)
    tie_breaks: tuple[TieBreak, ...] = (TieBreak.COMPOSITE, TieBreak.WRITTEN, TieBreak.RUN_OFF)
    bonus: Bonus = Bonus()
    # Medical check and background review (体检, 考察): candidates per place, by rank (1:1).
    check_ratio: int = Field(default=1, ge=1, le=10)
    # 递补: a place left by a withdrawal, a failed check or a declined offer goes to the next
    # ranked candidate of the same posting, unless the announcement forbids it.
    replacement_allowed: bool = True
    # 公示: the public notice of proposed hires lasts this many working days (Chinese calendar).
    notice_working_days: int = Field(default=7, ge=1, le=60)
    # At most two: composites are stored with two places (Numeric(7, 2)), never rounded twice.
    decimals: int = Field(default=2, ge=0, le=2)
    rounding: Rounding = Rounding.HALF_UP
    # Applicant data of those not hired may be purged this many years after the campaign ends.
    retention_years: int = Field(default=2, ge=1, le=30)

    @model_validator(mode="after")
    def _sane(self) -> CampaignRules:
        if not self.tie_breaks or self.tie_breaks[0] is not TieBreak.COMPOSITE:
            raise ValueError("the tie-break chain starts with the composite")
        if len(set(self.tie_breaks)) != len(self.tie_breaks):
            raise ValueError("each tie-break appears once")
        for stage, mark in (("written", self.pass_marks.written),
                            ("interview", self.pass_marks.interview)):  # fmt: skip
            if mark is not None and mark > self.max_score:
                raise ValueError(f"the {stage} pass mark {mark} is above max_score")
        return self


def parse_rules(document: dict[str, Any] | None) -> CampaignRules:
    """A rules document (JSON) as validated rules; missing fields take the common defaults."""
    return CampaignRules.model_validate(document or {})
