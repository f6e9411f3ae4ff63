"""One worker's month, gathered: the stored facts turned into the pure core's `PayFacts`.

No I/O. The run loads rows for a batch of workers; these functions cut the period where the
grade, the unit or the unit's funder shares change, and say plainly what is missing when a
worker cannot be paid (a missing grade, profile or funder shares is a problem to fix, never a
guess).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from payroll.adjustments.domain import months_served
from payroll.pay.arrears import Arrears, ArrearsMonth
from payroll.pay.compute import BonusClaim, PayFacts
from payroll.pay.earnings import Employment, Grade, Interval, Period, employed_days
from payroll.pay.funders import FunderShare
from payroll.pay.tax import SpecialDeductionClaim, YearToDate
from union_shared.events.catalogue import Qualification, Rating
from union_shared.money import from_fen

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
    """The rows one worker's month depends on, as loaded for a run."""

    worker_id: str
    hire_date: date
    left_on: date | None
    qualification: str
    units: list[Dated] = field(default_factory=list)  # value: (unit_id, unit_path)
    spans: list[Any] = field(default_factory=list)  # rows: policy_id, post, level, start, end
    profiles: list[Any] = field(default_factory=list)  # rows by effective_from
    arrears: list[Any] = field(default_factory=list)  # rows: id, detail
    entitlement: Any = None  # the oldest unpaid bonus entitlement row, if any
    separate_bonus_used: bool = False
    ytd: dict | None = None


def in_force(items: Sequence[Dated], day: date) -> Any:
    """The value of the last item starting on or before `day` (items oldest first)."""
    found = None
    for item in items:
        if item.start > day:
            break
        found = item.value
    return found


def last_employed_day(period: Period, month: WorkerMonth) -> date | None:
    days = employed_days(period, Employment(hired_on=month.hire_date, left_on=month.left_on))
    return days[1] if days else None


def unit_at_end(period: Period, month: WorkerMonth) -> tuple[str, str | None] | None:
    """The unit the worker belongs to on their last employed day of the period: the run that
    covers this unit pays the month."""
    last = last_employed_day(period, month)
    return None if last is None else in_force(month.units, last)


def intervals(
    period: Period, month: WorkerMonth, funders: dict[str, list[Dated]]
) -> tuple[Interval, ...]:
    """The employed days of the period cut wherever grade, unit or funder shares change."""
    employment = Employment(hired_on=month.hire_date, left_on=month.left_on)
    days = employed_days(period, employment)
    if days is None:
        raise Unpayable(f"not employed in {period}")
    first, last = days
    cuts = {first}
    for span in month.spans:
        cuts.add(span.start)
        if span.end is not None:
            cuts.add(span.end + ONE_DAY)
    units_seen = set()
    for unit in month.units:
        cuts.add(unit.start)
    for unit in month.units:
        units_seen.add(unit.value[0])
    for unit_id in units_seen:
        cuts.update(item.start for item in funders.get(unit_id, ()))
    starts = sorted(day for day in cuts if first <= day <= last)
    result: list[Interval] = []
    for start, following in zip(starts, [*starts[1:], last + ONE_DAY], strict=True):
        end = following - ONE_DAY
        span = next(
            (s for s in month.spans if s.start <= start and (s.end is None or start <= s.end)), None
        )
        if span is None:
            raise Unpayable(f"no grade from grading for {start} (GradeReevaluated not received)")
        unit = in_force(month.units, start)
        if unit is None:
            raise Unpayable(f"no unit known for {start}")
        shares = in_force(funders.get(unit[0], ()), start)
        if shares is None:
            raise Unpayable(f"unit {unit[0]} has no funder shares in force on {start}")
        grade = Grade(ladder=span.policy_id, post=span.post, level=span.level)
        previous = result[-1] if result else None
        if previous and (previous.grade, previous.unit_id, previous.funders) == (
            grade,
            unit[0],
            shares,
        ):
            result[-1] = previous.model_copy(update={"end": end})
            continue
        result.append(Interval(start=start, end=end, grade=grade, unit_id=unit[0], funders=shares))
    return tuple(result)


def funder_shares(shares: dict[str, str]) -> tuple[FunderShare, ...]:
    return tuple(FunderShare(funder=f, percent=Decimal(p)) for f, p in shares.items())


def arrears_of(rows: Sequence[Any]) -> Arrears | None:
    if not rows:
        return None
    months = tuple(ArrearsMonth.model_validate(row.detail) for row in rows)
    total = sum((from_fen(row.amount_fen) for row in rows), ZERO)
    return Arrears(months=months, total=total)


def pay_facts(
    period: Period, month: WorkerMonth, funders: dict[str, list[Dated]]
) -> tuple[PayFacts, Any]:
    """The facts of the month and the pay profile they use (its bank account pays the net)."""
    last = last_employed_day(period, month)
    if last is None:
        raise Unpayable(f"not employed in {period}")
    profile = in_force([Dated(p.effective_from, p) for p in month.profiles], last)
    if profile is None:
        raise Unpayable(f"no pay profile in force on {last}")
    bonus = None
    if month.entitlement is not None:
        year = month.entitlement.appraisal_year
        bonus = BonusClaim(
            rating=Rating(month.entitlement.rating),
            months_served=months_served(month.hire_date, month.left_on, year),
            separate_already_used_this_year=month.separate_bonus_used,
        )
    facts = PayFacts(
        period=period,
        hired_on=month.hire_date,
        left_on=month.left_on,
        intervals=intervals(period, month, funders),
        qualification=Qualification(month.qualification),
        declared_base=from_fen(profile.contribution_base_fen),
        housing_fund_rate=(
            None if profile.housing_fund_rate is None else Decimal(profile.housing_fund_rate)
        ),
        special_deductions=SpecialDeductionClaim.model_validate(profile.special_deductions),
        ytd=YearToDate.model_validate(month.ytd) if month.ytd else YearToDate(),
        bonus=bonus,
        arrears=arrears_of(month.arrears),
    )
    return facts, profile
