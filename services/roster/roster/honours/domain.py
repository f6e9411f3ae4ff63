"""Awards (annual outstanding-worker selections, provincial honours...) and elected union posts.

A post's term runs from `term_start` up to `term_end`, the day it ends: a successor elected at
the end of a term may take office that same day, so two terms overlap only when one starts
before the other ends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from roster.units.domain import UnitKind
from union_shared.errors import RuleBroken


class AwardLevel(StrEnum):
    UNIT = "unit"
    DISTRICT = "district"
    CITY = "city"
    PROVINCIAL = "provincial"
    NATIONAL = "national"


class Post(StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"


# Elected posts a union social worker may hold: the chair of a grassroots union, or a vice-chair
# of the township/street or district federation above it.
ELECTED_IN: dict[Post, frozenset[UnitKind]] = {
    Post.CHAIR: frozenset(
        {UnitKind.INDUSTRIAL_PARK_UNION, UnitKind.BUILDING_UNION, UnitKind.JOINT_UNION}
    ),
    Post.VICE_CHAIR: frozenset(
        {
            UnitKind.TOWNSHIP_FEDERATION,
            UnitKind.STREET_FEDERATION,
            UnitKind.DISTRICT_FEDERATION,
        }
    ),
}


class HonourRefused(RuleBroken):
    """A rule refused the record: `field` names the bad input, or is None for a conflict with
    what is already recorded."""


def check_award_year(year: int, hire_date: date, today: date) -> None:
    if year < hire_date.year:
        raise HonourRefused("year", f"before the worker was hired in {hire_date.year}")
    if year > today.year:
        raise HonourRefused("year", f"{year} has not begun; record an award once its year has")


def check_term(term_start: date, term_end: date, elected_on: date | None) -> None:
    if term_end <= term_start:
        raise HonourRefused("term_end", f"must be after the term starts on {term_start}")
    if elected_on is not None and elected_on > term_start:
        raise HonourRefused(
            "elected_on", f"a term starts after the election, not before (starts {term_start})"
        )


def check_post_fits_unit(post: Post, unit_kind: UnitKind) -> None:
    if unit_kind not in ELECTED_IN[post]:
        allowed = ", ".join(sorted(ELECTED_IN[post]))
        raise HonourRefused("unit_id", f"a {post} is elected in a {allowed}, not a {unit_kind}")


@dataclass(frozen=True)
class Term:
    worker_id: str
    post: Post
    start: date
    end: date


def _overlap(a: Term, b: Term) -> bool:
    return a.start < b.end and b.start < a.end


def clashing_term(new: Term, held: Iterable[Term]) -> Term | None:
    """A term of the same unit the new one cannot share days with: a unit has one chair at a
    time (and many vice-chairs), and nobody holds one post twice over the same days."""
    for old in held:
        if old.post is not new.post or not _overlap(new, old):
            continue
        if new.post is Post.CHAIR or old.worker_id == new.worker_id:
            return old
    return None
