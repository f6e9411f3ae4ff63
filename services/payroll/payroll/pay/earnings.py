"""A month's earnings: the month split where the facts change, each part paid at its own rate.

DOMAIN.md, "Periods and changes": a grade, unit or funder change effective mid-month splits the
month into intervals, each paid at its own monthly rate prorated by calendar days (days in the
interval / days in the month). Nothing is paid before the hire date or after the leaving date.
"""

from __future__ import annotations

import calendar
import functools
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from union_shared.money import Money
from union_shared.vocabulary import Qualification

from .funders import FunderShare, check_shares
from .policy import PayPolicy
from .tax import PayError
from .trusted import check_trusted, fen, remembered, trusted

ONE_DAY = timedelta(days=1)


@functools.cache
def month_bounds(year: int, month: int) -> tuple[date, date, int]:
    """The first day, the last day and the number of days of a month."""
    days = calendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, days), days


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(_Value):
    year: int = Field(ge=2000, le=2100)
    month: int = Field(ge=1, le=12)

    @property
    def first_day(self) -> date:
        return month_bounds(self.year, self.month)[0]

    @property
    def days(self) -> int:
        return month_bounds(self.year, self.month)[2]

    @property
    def last_day(self) -> date:
        return month_bounds(self.year, self.month)[1]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


class Grade(_Value):
    ladder: str = Field(min_length=1)  # the grading policy id, e.g. tianjin-3p18l
    post: str = Field(min_length=1)
    level: int = Field(ge=1)

    def __str__(self) -> str:
        return f"{self.post} level {self.level} ({self.ladder})"


class Interval(_Value):
    """A stretch of the pay month at one rate: one grade, in one unit, under one set of funders,
    start to end inclusive (end None: still holding). A run cuts grading's spans (a span is a
    stretch of one grade, as grading said it) at unit and funder changes into intervals."""

    start: date
    end: date | None = None
    grade: Grade
    unit_id: str = Field(min_length=1)
    funders: tuple[FunderShare, ...] = Field(min_length=1)

    @field_validator("funders")
    @classmethod
    def _shares(cls, value: tuple[FunderShare, ...]) -> tuple[FunderShare, ...]:
        check_shares(value)
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Interval:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"interval ends {self.end} before it starts {self.start}")
        return self


class Employment(_Value):
    hired_on: date
    left_on: date | None = None  # the last day worked

    @model_validator(mode="after")
    def _ordered(self) -> Employment:
        if self.left_on is not None and self.left_on < self.hired_on:
            raise ValueError("left_on is before hired_on")
        return self


class LineKind(StrEnum):
    EARNING = "earning"
    EMPLOYEE_DEDUCTION = "employee_deduction"
    TAX = "tax"
    EMPLOYER_CONTRIBUTION = "employer_contribution"


class PayLine(_Value):
    kind: LineKind
    code: str
    label: str
    amount: Money
    explanation: str
    # The days an earning line covers; for an annual bonus the appraised year, and for the
    # separate tax on a bonus the same year as that bonus.
    start: date | None = None
    end: date | None = None


_DATED = frozenset(PayLine.model_fields)
_UNDATED = _DATED - {"start", "end"}
check_trusted(PayLine)
_new = object.__new__
_set = object.__setattr__


def pay_line(
    kind: LineKind,
    code: str,
    label: str,
    amount: Decimal,
    explanation: str,
    start: date | None = None,
    end: date | None = None,
) -> PayLine:
    """A line from computed values (amount already to the fen), without validating them again.

    trusted(PayLine, ...) written out: a payslip makes a dozen lines, and the call to trusted
    cost a tenth of each.
    """
    line = _new(PayLine)
    _set(line, "__dict__", {
        "kind": kind, "code": code, "label": label, "amount": amount,
        "explanation": explanation, "start": start, "end": end,
    })  # fmt: skip
    _set(
        line, "__pydantic_fields_set__", set(_UNDATED if start is None and end is None else _DATED)
    )
    _set(line, "__pydantic_extra__", None)
    _set(line, "__pydantic_private__", None)
    return line


class Part(NamedTuple):
    """One interval clipped to the period and the employment, with its earning lines."""

    interval: Interval
    start: date
    end: date
    lines: tuple[PayLine, ...]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def gross(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


def employed_days(period: Period, employment: Employment) -> tuple[date, date] | None:
    first, last, _ = month_bounds(period.year, period.month)
    start = max(first, employment.hired_on)
    end = min(last, employment.left_on or last)
    return (start, end) if start <= end else None


def clip(period: Period, employment: Employment, intervals: tuple[Interval, ...]) -> list[Interval]:
    """The intervals cut to the employed days of the period; every employed day must be covered."""
    for a, b in pairwise(intervals):
        if a.end is None or a.end >= b.start:
            raise PayError(f"intervals overlap or are out of order: {a.start} and {b.start}")
    employed = employed_days(period, employment)
    if employed is None:
        raise PayError(f"not employed in {period} (hired {employment.hired_on})")
    first, last = employed
    parts = []
    for i in intervals:
        end = i.end
        if first <= i.start and end is not None and end <= last:
            parts.append(i)  # already within the employed days, as a run's intervals are
        elif i.start <= last and (end is None or end >= first):
            parts.append(_clipped(i, max(i.start, first), min(end or last, last)))
    day = first
    for part in parts:
        if part.start != day:
            raise PayError(f"no grade, unit and funders on {day} in {period}")
        day = (part.end or last) + ONE_DAY
    if day != last + ONE_DAY:
        raise PayError(f"no grade, unit and funders on {day} in {period}")
    return parts


_CLIPPED = frozenset({"start", "end"})


def _clipped(interval: Interval, start: date, end: date) -> Interval:
    """interval.model_copy(update={"start": start, "end": end}), without its generic machinery."""
    values = {**interval.__dict__, "start": start, "end": end}
    return trusted(Interval, values, _CLIPPED.union(interval.model_fields_set))


def earning_parts(
    policy: PayPolicy,
    period: Period,
    employment: Employment,
    intervals: tuple[Interval, ...],
    qualification: Qualification,
) -> tuple[Part, ...]:
    last_day = month_bounds(period.year, period.month)[1]
    parts = []
    for interval in clip(period, employment, intervals):
        start, end = interval.start, interval.end or last_day
        days = (end - start).days + 1
        lines = interval_lines(policy, period, interval.grade, qualification, start, end, days)
        parts.append(Part(interval, start, end, lines))
    return tuple(parts)


def interval_lines(
    policy: PayPolicy,
    period: Period,
    grade: Grade,
    qualification: Qualification,
    start: date,
    end: date,
    days: int,
) -> tuple[PayLine, ...]:
    """The earning lines of one interval; they depend on nothing but the key below, so a run
    computes them once per policy version, grade, qualification and stretch of days."""
    # The qualification by identity (members are singletons): hashing an enum is a Python call.
    key = ("earnings", grade.ladder, grade.post, grade.level, id(qualification), start, end, days,
           period.days)  # fmt: skip
    args = (policy, period, grade, qualification, start, end, days)
    return remembered(policy, key, _interval_lines, *args)


def _interval_lines(
    policy: PayPolicy,
    period: Period,
    grade: Grade,
    qualification: Qualification,
    start: date,
    end: date,
    days: int,
) -> tuple[PayLine, ...]:
    # Base and performance pay do not depend on the qualification: one pair of line objects
    # serves every qualification, so a run holds (and writes as JSON) each line once.
    key = ("grade earnings", grade.ladder, grade.post, grade.level, start, end, days, period.days)
    lines = remembered(policy, key, _grade_lines, policy, period, grade, start, end, days)
    allowance = policy.allowance(qualification)
    if not allowance:
        return lines
    key = ("allowance", id(qualification), start, end, days, period.days)
    args = (period, qualification, allowance, start, end, days)
    return (*lines, remembered(policy, key, _allowance_line, *args))


def _grade_lines(
    policy: PayPolicy, period: Period, grade: Grade, start: date, end: date, days: int
) -> tuple[PayLine, ...]:
    scale = policy.scale(grade.ladder)
    coefficient = scale.coefficient(grade.post, grade.level)
    rate = fen(scale.reference_amount * coefficient)
    origin = (
        f"monthly rate {rate:,.2f} = reference {scale.reference_amount:,.2f} × coefficient "
        f"{coefficient} for {grade}"
    )
    base, perf = policy.split.base, policy.split.performance
    base_pay = _prorated(rate * base, period, days)
    # Performance pay is the rest of the prorated rate, so base + performance is exactly it.
    perf_pay = _prorated(rate, period, days) - base_pay
    base_how = f"{base:.0%} of the {origin}: {rate:,.2f} × {base:.0%}"
    perf_how = f"{perf:.0%} of the {origin}, the rest after base pay: {rate:,.2f} × {perf:.0%}"
    return (
        _line("base", "Base pay (基本工资)", base_pay, base_how, period, start, end, days),
        _line("performance", "Performance pay (绩效工资)", perf_pay, perf_how, period, start,
              end, days),
    )  # fmt: skip


def _allowance_line(
    period: Period,
    qualification: Qualification,
    allowance: Decimal,
    start: date,
    end: date,
    days: int,
) -> PayLine:
    held = qualification.value.replace("_", " ")
    how = f"Certificate allowance for the {held} qualification: {allowance:,.2f} a month"
    amount = _prorated(allowance, period, days)
    label = "Certificate allowance (证书津贴)"
    return _line("certificate", label, amount, how, period, start, end, days)


def _prorated(monthly: Decimal, period: Period, days: int) -> Decimal:
    return fen(monthly * days / period.days)


def _line(
    code: str, label: str, amount: Decimal, how: str, period: Period, start: date, end: date,
    days: int,
) -> PayLine:  # fmt: skip
    share = "" if days == period.days else f" × {days}/{period.days} days"
    text = f"{how}{share} = {amount:,.2f}, {start.isoformat()} to {end.isoformat()}."
    return pay_line(LineKind.EARNING, code, label, amount, text, start, end)
