"""Arrears (补发): a change effective in a closed period, paid as a difference in a later one.

DOMAIN.md, "Periods and changes": each past month is recomputed with the pay policy in force in
that month, once with the facts it was paid on and once with the corrected facts; the arrears are
the difference of the earning lines. Contributions do not move (their base is last year's
average wage, not the grade) and the tax falls in the month the arrears are paid.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from pydantic import Field, model_validator

from union_shared.money import Money
from union_shared.vocabulary import Qualification

from .earnings import Employment, Interval, Part, Period, _Value, earning_parts
from .policy import PolicyBook

ZERO = Decimal("0.00")


class ArrearsMonthFacts(Employment):
    period: Period
    old_intervals: tuple[Interval, ...] = Field(min_length=1)
    new_intervals: tuple[Interval, ...] = Field(min_length=1)
    qualification: Qualification = Qualification.NONE


class ArrearsLine(_Value):
    code: str
    label: str
    old: Money
    new: Money
    difference: Money


class ArrearsMonth(_Value):
    period: Period
    policy_id: str
    policy_version: int
    lines: tuple[ArrearsLine, ...]
    old_gross: Money
    new_gross: Money
    difference: Money
    explanation: str


class Arrears(_Value):
    months: tuple[ArrearsMonth, ...]
    total: Money

    @model_validator(mode="after")
    def _sums(self) -> Arrears:
        if self.total != sum((m.difference for m in self.months), ZERO):
            raise ValueError("arrears total is not the sum of its months")
        return self

    def explanation(self) -> str:
        each = "; ".join(f"{m.period}: {m.difference:+,.2f}" for m in self.months)
        return f"Arrears for earlier months, each at the pay policy then in force: {each}."


def _by_code(parts: tuple[Part, ...]) -> dict[str, tuple[str, Decimal]]:
    totals: dict[str, tuple[str, Decimal]] = {}
    for part in parts:
        for line in part.lines:
            label, amount = totals.get(line.code, (line.label, ZERO))
            totals[line.code] = (label, amount + line.amount)
    return totals


def arrears_month(book: PolicyBook, facts: ArrearsMonthFacts) -> ArrearsMonth:
    policy = book.for_period(facts.period.year, facts.period.month)
    employment = Employment(hired_on=facts.hired_on, left_on=facts.left_on)
    args = (policy, facts.period, employment)
    old = _by_code(earning_parts(*args, facts.old_intervals, facts.qualification))
    new = _by_code(earning_parts(*args, facts.new_intervals, facts.qualification))
    lines = []
    for code in dict.fromkeys([*old, *new]):
        label = (old.get(code) or new[code])[0]
        was, now = old.get(code, (label, ZERO))[1], new.get(code, (label, ZERO))[1]
        lines.append(ArrearsLine(code=code, label=label, old=was, new=now, difference=now - was))
    old_gross = sum((line.old for line in lines), ZERO)
    new_gross = sum((line.new for line in lines), ZERO)
    return ArrearsMonth(
        period=facts.period,
        policy_id=policy.id,
        policy_version=policy.version,
        lines=tuple(lines),
        old_gross=old_gross,
        new_gross=new_gross,
        difference=new_gross - old_gross,
        explanation=(
            f"{facts.period} recomputed with pay policy {policy.id} v{policy.version}: gross "
            f"{old_gross:,.2f} as paid, {new_gross:,.2f} as corrected, "
            f"difference {new_gross - old_gross:+,.2f}."
        ),
    )


def compute_arrears(book: PolicyBook, months: Sequence[ArrearsMonthFacts]) -> Arrears:
    """The arrears of each past month (any year), oldest first, and their total."""
    periods = [(m.period.year, m.period.month) for m in months]
    if len(set(periods)) != len(periods):
        raise ValueError("a month appears twice in the arrears")
    ordered = sorted(months, key=lambda m: (m.period.year, m.period.month))
    result = tuple(arrears_month(book, m) for m in ordered)
    return Arrears(months=result, total=sum((m.difference for m in result), ZERO))
