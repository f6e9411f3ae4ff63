"""Annual appraisals: one rating per worker per year; corrections are new revisions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from union_shared.vocabulary import Rating


@dataclass(frozen=True)
class QuotaWarning:
    unit_id: str
    year: int
    excellent: int
    headcount: int
    share: Decimal
    limit: Decimal

    @property
    def message(self) -> str:
        return (
            f"{self.excellent} of {self.headcount} workers in unit {self.unit_id} are rated "
            f"excellent for {self.year} ({self.share:.0%}), above the {self.limit:.0%} share"
        )


def excellent_quota_warning(
    unit_id: str, year: int, excellent: int, headcount: int, limit: Decimal
) -> QuotaWarning | None:
    """A warning, never a refusal, when a unit's excellent ratings pass the configured share."""
    if headcount <= 0 or excellent == 0:
        return None
    share = Decimal(excellent) / Decimal(headcount)
    if share <= limit:
        return None
    return QuotaWarning(unit_id, year, excellent, headcount, share, limit)


def next_revision(existing: list[int]) -> int:
    return max(existing, default=0) + 1


__all__ = ["QuotaWarning", "Rating", "excellent_quota_warning", "next_revision"]
