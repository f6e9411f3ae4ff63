"""What the ladder is asked (a worker's facts) and what it answers (an explained grade history)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise

from union_shared.vocabulary import Education, Rating

ONE_DAY = timedelta(days=1)


def anniversary(start: date, years: int) -> date:
    """`start` plus whole years on the calendar; from 29 February a common year's anniversary is
    28 February, as dateutil's relativedelta counts it in the roster service."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 2, 28)


def first_january_on_or_after(day: date) -> date:
    return day if day.month == 1 and day.day == 1 else date(day.year + 1, 1, 1)


_WORDS: dict[StrEnum, str] = {
    member: member.value.replace("_", " ") for enum in (Rating, Education) for member in enum
}


def words(value: StrEnum) -> str:
    """An enum value as plain words: basically_competent -> basically competent."""
    return _WORDS.get(value) or value.value.replace("_", " ")


@dataclass(frozen=True, slots=True)
class Resumed:
    """Where a re-hired worker's grade resumes (RehireRule.RESUME): the grade on the last day of
    the employment before, which the new one starts from on its hire date."""

    post: str  # the post or rank code
    level: int
    service: int | None  # the level from service then (StepReading.LEVEL_FROM_SERVICE only)
    since: date  # the day that grade began (a rank's years in it count on from there)
    left_on: date  # the last day of the employment before
    earlier_service_counted: bool  # whether the roster counts the years before for seniority


@dataclass(frozen=True, slots=True)
class WorkerFacts:
    hire_date: date
    seniority_start: date  # before hire_date when prior service is credited
    education: Education = Education.BELOW_BACHELOR
    appraisals: Mapping[int, Rating] = field(default_factory=dict)  # year -> the revision in force
    left_on: date | None = None  # last day of employment
    # A re-hire that resumes the grade: the appraisals then include the years before, which
    # merit counts and, where earlier service counts, seniority too.
    resumed: Resumed | None = None

    def __post_init__(self) -> None:
        if self.seniority_start > self.hire_date:
            raise ValueError(
                f"seniority_start {self.seniority_start} is after the hire date {self.hire_date}"
            )
        if self.left_on is not None and self.left_on < self.hire_date:
            raise ValueError(f"left_on {self.left_on} is before the hire date {self.hire_date}")
        if self.resumed is not None:
            if self.resumed.left_on >= self.hire_date:
                raise ValueError(
                    f"the employment before ended {self.resumed.left_on}, not before the hire "
                    f"date {self.hire_date}"
                )
            return
        early = [y for y in self.appraisals if y < self.hire_date.year]
        if early:
            raise ValueError(f"appraisals for {sorted(early)} predate the hire year")


# The replay's results below are never changed once made, but they are not frozen: a frozen
# dataclass sets each field through object.__setattr__, and a replay makes a dozen of them (a
# seventh of an evaluation's time).


@dataclass(slots=True)
class Reason:
    rule: str  # the policy rule applied, e.g. "seniority.step"
    detail: str  # the facts used, in words the worker can read


@dataclass(slots=True)
class GradeInterval:
    post: str
    level: int
    start: date
    end: date | None  # inclusive last day; None while the grade lasts
    reasons: list[Reason]  # why the grade changed on `start`


@dataclass(slots=True)
class Evaluation:
    post: str
    level: int
    effective_date: date  # when the grade held on the evaluation date took effect
    reasons: list[Reason]  # why: the last change, then later decisions that changed nothing
    flags: list[str]  # matters for a person to review, e.g. an incompetent year
    timeline: list[GradeInterval]  # contiguous from the hire date; the last is the grade now
    service: int | None = None  # the level from service now (StepReading.LEVEL_FROM_SERVICE)


class TimelineBuilder:
    """Collects the grade changes of a replay, one group of decisions per day, in date order."""

    __slots__ = ("_changes", "_notes", "flags")

    def __init__(self, hire_date: date, post: str, level: int, reasons: list[Reason]) -> None:
        self._changes: list[tuple[date, str, int, list[Reason]]] = [
            (hire_date, post, level, reasons)
        ]
        self._notes: list[tuple[date, Reason]] = []
        self.flags: list[str] = []

    def decide(self, day: date, post: str, level: int, reasons: list[Reason]) -> None:
        """Record the grade after every decision taken on `day`; unchanged grades keep notes."""
        _, last_post, last_level, _ = self._changes[-1]
        if post == last_post and level == last_level:
            self._notes.extend((day, r) for r in reasons)
        else:
            self._changes.append((day, post, level, reasons))

    def evaluation(self, left_on: date | None) -> Evaluation:
        """The history so far; `left_on` (when it has passed) closes the last interval."""
        changes = self._changes
        timeline = [
            GradeInterval(post, level, start, nxt[0] - ONE_DAY, reasons)
            for (start, post, level, reasons), nxt in pairwise(changes)
        ]
        start, post, level, reasons = changes[-1]
        timeline.append(GradeInterval(post, level, start, left_on, reasons))
        current = reasons + [r for day, r in self._notes if day >= start]
        if left_on is not None:
            current.append(
                Reason("left", f"Left on {left_on}: the grade history closes on that day.")
            )
        return Evaluation(post, level, start, current, self.flags, timeline)
