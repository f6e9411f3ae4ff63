"""Bonus points (加分), DOMAIN.md "Recruitment": items such as +5 for two years in a grassroots
service programme or +3/+2/+1 for veterans, applied for and reviewed, capped. Only the items a
review granted count; the campaign's `Bonus` rules say whether the largest alone counts
(highest_only) or all add up (cumulative), and the cap applies either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from recruitment.rules.schema import Bonus, BonusCombination, BonusItem


class Review(StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"


@dataclass(frozen=True)
class BonusClaim:
    """An applicant's claim to one bonus item, with where its review stands."""

    code: str
    review: Review = Review.PENDING


@dataclass(frozen=True)
class BonusAward:
    points: Decimal
    explanation: str


class UnknownBonusItem(ValueError):
    """A claim names an item the campaign's rules do not offer: refused rather than ignored,
    since a silent zero would hide a typo or a claim filed against the wrong campaign."""


def granted_points(bonus: Bonus, claims: Iterable[BonusClaim]) -> BonusAward:
    """The bonus points an applicant gets and a sentence saying how. A code claimed twice
    counts once: an item is a fact about the applicant, not a number of forms."""
    offered = {item.code: item for item in bonus.items}
    claims = tuple(claims)
    unknown = sorted({claim.code for claim in claims} - offered.keys())
    if unknown:
        raise UnknownBonusItem(f"the campaign offers no bonus item {', '.join(unknown)}")
    codes = dict.fromkeys(c.code for c in claims if c.review is Review.GRANTED)
    granted = [offered[code] for code in codes]
    if not granted:
        return BonusAward(Decimal(0), "No bonus item was granted after review: 0 points.")
    if bonus.combination is BonusCombination.HIGHEST_ONLY:
        raw = max(item.points for item in granted)
        how = "the largest counts"
    else:
        raw = sum((item.points for item in granted), Decimal(0))
        how = "they add up"
    points = min(raw, bonus.cap)
    capped = f", capped at {bonus.cap}" if raw > bonus.cap else ""
    return BonusAward(points, f"Granted {_listed(granted)}; {how}{capped}: {points} points.")


def _listed(items: list[BonusItem]) -> str:
    return ", ".join(f"{item.name} ({item.code}, +{item.points})" for item in items)
