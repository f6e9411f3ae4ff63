"""One worker's month, gathered: the stored facts turned into the pure core's `PayFacts`.

No I/O. The run loads rows for a batch of workers; these functions cut the period where the
grade, the unit or the unit's funder shares change, and say plainly what is missing when a
worker cannot be paid (a missing grade, profile or funder shares is a problem to fix, never a
guess).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from payroll.adjustments.domain import covering, months_served, months_served_in
from payroll.pay.arrears import Arrears, ArrearsMonth
from payroll.pay.compute import BonusClaim, BonusTaxation, PayFacts
from payroll.pay.earnings import Employment, Grade, Interval, Period, employed_days
from payroll.pay.funders import FunderShare
from payroll.pay.tax import SpecialDeductionClaim, YearToDate
from union_shared.money import from_fen
from union_shared.vocabulary import Qualification, Rating

ONE_DAY = timedelta(days=1)
ZERO = Decimal("0.00")


class Unpayable(Exception):
    """This worker's month cannot be computed from what payroll holds; the text says why."""


@dataclass(frozen=True, slots=True)
class Dated:
    """Something that holds from `start` on, until the next one starts."""

    start: date
    value: Any


@dataclass(slots=True)
class WorkerMonth:
    """The rows one worker's month depends on, as loaded for a run. `hire_date` and `left_on`
    are those of the employment episode covering the month; `episodes` holds every episode
    when the run loaded them (a re-hired worker's bonus counts the months of each)."""

    worker_id: str
    hire_date: date
    left_on: date | None
    qualification: str
    episodes: tuple[Employment, ...] = ()
    units: list[Dated] = field(default_factory=list)  # value: (unit_id, unit_path)
    spans: list[Any] = field(default_factory=list)  # rows: policy_id, post, level, start, end
    profiles: list[Any] = field(default_factory=list)  # rows by effective_from
    arrears: list[Any] = field(default_factory=list)  # rows: id, detail
    entitlements: list[Any] = field(default_factory=list)  # unpaid bonus rows, oldest year first
    separate_bonus_used: bool = False
    ytd: dict | None = None
    _employment: Employment | None = field(default=None, init=False, repr=False)

    @property
    def employment(self) -> Employment:
        if self._employment is None:
            self._employment = Employment(hired_on=self.hire_date, left_on=self.left_on)
        return self._employment

    def covers(self, period: Period) -> bool:
        """Whether the dates held are an episode that meets the period (a candidate's are its
        current episode's, which may have begun after the month being run)."""
        return employed_days(period, self.employment) is not None

    def take_episodes(self, period: Period, episodes: Sequence[Employment]) -> None:
        """Hold every episode, and the dates of the one covering `period` (none covers it: the
        dates stay, and the month finds the worker not employed)."""
        self.episodes = tuple(episodes)
        found = covering(self.episodes, period)
        if found is not None:
            self.hire_date, self.left_on, self._employment = found.hired_on, found.left_on, found

    def months_served(self, year: int) -> int:
        """Whole months served in the appraised year, over every episode when they were loaded
        (a bonus month loads them); otherwise the worker's one episode, the dates held."""
        if self.episodes:
            return months_served_in(self.episodes, year)
        return months_served(self.hire_date, self.left_on, year)


class Shared:
    """Value objects that many workers of one run hold alike (grades, intervals, deduction
    claims), each built and validated once. They are frozen, so sharing them is safe."""

    def __init__(self) -> None:
        self._grades: dict[tuple, Grade] = {}
        self._intervals: dict[tuple, tuple[Interval, Grade, Any]] = {}
        self._claims: dict[str | None, SpecialDeductionClaim] = {}

    def grade(self, ladder: str, post: str, level: int) -> Grade:
        key = (ladder, post, level)
        found = self._grades.get(key)
        if found is None:
            found = self._grades[key] = Grade(ladder=ladder, post=post, level=level)
        return found

    def interval(
        self, start: date, end: date, grade: Grade, unit_id: str, funders: tuple[FunderShare, ...]
    ) -> Interval:
        # A grade comes from `grade` and a unit's shares are one tuple for the whole run (see
        # `funder_shares`), so their ids name them; the entry keeps both alive.
        key = (start, end, id(grade), unit_id, id(funders))
        found = self._intervals.get(key)
        if found is None:
            interval = Interval(start=start, end=end, grade=grade, unit_id=unit_id, funders=funders)
            found = self._intervals[key] = (interval, grade, funders)
        return found[0]

    def claim(self, text: str | None) -> SpecialDeductionClaim:
        """The claim a pay profile stores, from its JSON text: validated once per distinct text."""
        found = self._claims.get(text)
        if found is None:
            data = None if text is None else json.loads(text)
            found = self._claims[text] = SpecialDeductionClaim.model_validate(data)
        return found


def in_force(items: Sequence[Dated], day: date) -> Any:
    """The value of the last item starting on or before `day` (items oldest first)."""
    found = None
    for item in items:
        if item.start > day:
            break
        found = item.value
    return found


def last_employed_day(period: Period, month: WorkerMonth) -> date | None:
    days = employed_days(period, month.employment)
    return days[1] if days else None


def unit_at_end(period: Period, month: WorkerMonth) -> tuple[str, str | None] | None:
    """The unit the worker belongs to on their last employed day of the period: the run that
    covers this unit pays the month."""
    last = last_employed_day(period, month)
    return None if last is None else in_force(month.units, last)


def intervals(
    period: Period, month: WorkerMonth, funders: dict[str, list[Dated]], shared: Shared
) -> tuple[Interval, ...]:
    """The employed days of the period cut wherever grade, unit or funder shares change."""
    days = employed_days(period, month.employment)
    if days is None:
        raise Unpayable(f"not employed in {period}")
    first, last = days
    starts = sorted(_cuts(month, funders, first, last))
    pieces: list[list] = []  # start, end, grade, unit_id, shares
    for start, following in zip(starts, [*starts[1:], last + ONE_DAY], strict=True):
        span = _span_on(month.spans, start)
        if span is None:
            raise Unpayable(f"no grade from grading for {start} (GradeReevaluated not received)")
        unit = in_force(month.units, start)
        if unit is None:
            raise Unpayable(f"no unit known for {start}")
        shares = in_force(funders.get(unit[0], ()), start)
        if shares is None:
            raise Unpayable(f"unit {unit[0]} has no funder shares in force on {start}")
        grade = shared.grade(span.policy_id, span.post, span.level)
        if pieces and pieces[-1][2:] == [grade, unit[0], shares]:
            pieces[-1][1] = following - ONE_DAY  # nothing changed: the previous piece goes on
            continue
        pieces.append([start, following - ONE_DAY, grade, unit[0], shares])
    return tuple(shared.interval(*piece) for piece in pieces)


def _cuts(month: WorkerMonth, funders: dict[str, list[Dated]], first: date, last: date) -> set:
    """The first day, and each day from `first` to `last` on which a grade, unit or funder
    shares change."""
    cuts = {first}
    for span in month.spans:
        if first < span.start <= last:
            cuts.add(span.start)
        if span.end is not None and first <= span.end < last:
            cuts.add(span.end + ONE_DAY)
    for unit in month.units:
        if first < unit.start <= last:
            cuts.add(unit.start)
    for unit_id in {unit.value[0] for unit in month.units}:
        for item in funders.get(unit_id, ()):
            if first < item.start <= last:
                cuts.add(item.start)
    return cuts


def _span_on(spans: Sequence[Any], day: date) -> Any:
    for span in spans:
        if span.start <= day and (span.end is None or day <= span.end):
            return span
    return None


def funder_shares(shares: dict[str, str]) -> tuple[FunderShare, ...]:
    return tuple(FunderShare(funder=f, percent=Decimal(p)) for f, p in shares.items())


def arrears_of(rows: Sequence[Any]) -> Arrears | None:
    if not rows:
        return None
    months = tuple(ArrearsMonth.model_validate(row.detail) for row in rows)
    total = sum((from_fen(row.amount_fen) for row in rows), ZERO)
    return Arrears(months=months, total=total)


def pay_facts(
    period: Period, month: WorkerMonth, funders: dict[str, list[Dated]], shared: Shared
) -> tuple[PayFacts, Any]:
    """The facts of the month and the pay profile they use (its bank account pays the net)."""
    last = last_employed_day(period, month)
    if last is None:
        raise Unpayable(f"not employed in {period}")
    profile = None
    for row in month.profiles:  # oldest first
        if row.effective_from > last:
            break
        profile = row
    if profile is None:
        raise Unpayable(f"no pay profile in force on {last}")
    bonuses = tuple(
        BonusClaim(
            rating=Rating(row.rating),
            months_served=month.months_served(row.appraisal_year),
            appraisal_year=row.appraisal_year,
        )
        for row in month.entitlements
    )
    facts = PayFacts(
        period=period,
        hired_on=month.hire_date,
        left_on=month.left_on,
        intervals=intervals(period, month, funders, shared),
        qualification=Qualification(month.qualification),
        declared_base=from_fen(profile.contribution_base_fen),
        housing_fund_rate=(
            None if profile.housing_fund_rate is None else Decimal(profile.housing_fund_rate)
        ),
        special_deductions=shared.claim(profile.special_deductions_json),
        ytd=YearToDate.model_validate(month.ytd) if month.ytd else YearToDate(),
        bonuses=bonuses,
        bonus_taxation=BonusTaxation(profile.bonus_taxation),
        separate_bonus_used=month.separate_bonus_used,
        arrears=arrears_of(month.arrears),
    )
    return facts, profile
