"""Arrears (补发): a change effective in a closed period, paid as a difference in a later one.

DOMAIN.md, "Periods and changes": each past month is recomputed with the pay policy in force in
that month, once with the facts it was paid on and once with the corrected facts; the arrears are
the difference of the earning lines. Contributions do not move (their base is last year's
average wage, not the grade) and the tax falls in the month the arrears are paid.

A month before the unit went live on the platform was paid outside it: nothing says at which
grade, so its arrears are the corrected gross less the gross an officer declared was paid (and
less any arrears owed for it since), never a difference of two computed grades.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from union_shared.money import Money, NonNegativeMoney
from union_shared.vocabulary import Qualification

from .earnings import Employment, Interval, Part, Period, _Value, earning_parts
from .policy import PolicyBook

ZERO = Decimal("0.00")


class ArrearsMonthFacts(Employment):
    period: Period
    old_intervals: tuple[Interval, ...] = Field(min_length=1)
    new_intervals: tuple[Interval, ...] = Field(min_length=1)
    qualification: Qualification = Qualification.NONE


class DeclaredMonthFacts(Employment):
    """A month paid before go-live: what was declared paid for it, and what has been owed for
    it since by earlier changes (so a second change pays only its own difference)."""

    period: Period
    new_intervals: tuple[Interval, ...] = Field(min_length=1)
    qualification: Qualification = Qualification.NONE
    declared: NonNegativeMoney
    owed_since: Money = Decimal("0.00")


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
    # platform: a locked run paid the month (old facts against new); declared: paid before
    # go-live, as an officer declared it.
    basis: Literal["platform", "declared"] = "platform"


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
    explanation = (
        f"{facts.period} recomputed with pay policy {policy.id} v{policy.version}: gross "
        f"{old_gross:,.2f} as paid, {new_gross:,.2f} as corrected, "
        f"difference {new_gross - old_gross:+,.2f}."
    )
    return _month(facts.period, policy, lines, old_gross, new_gross, explanation)


def _month(
    period, policy, lines, old_gross: Decimal, new_gross: Decimal, explanation: str, **basis
):
    """A month's arrears from its lines and the two grosses they add up to."""
    return ArrearsMonth(
        period=period,
        policy_id=policy.id,
        policy_version=policy.version,
        lines=tuple(lines),
        old_gross=old_gross,
        new_gross=new_gross,
        difference=new_gross - old_gross,
        explanation=explanation,
        **basis,
    )


DECLARED = "declared_pay"
OWED_SINCE = "arrears_owed"


def declared_arrears_month(book: PolicyBook, facts: DeclaredMonthFacts) -> ArrearsMonth:
    """The corrected month's earning lines against one line of what was declared paid (and one
    of the arrears owed since, if any): the lines' differences add up to the month's."""
    policy = book.for_period(facts.period.year, facts.period.month)
    employment = Employment(hired_on=facts.hired_on, left_on=facts.left_on)
    parts = earning_parts(
        policy, facts.period, employment, facts.new_intervals, facts.qualification
    )
    lines = [
        ArrearsLine(code=code, label=label, old=ZERO, new=amount, difference=amount)
        for code, (label, amount) in _by_code(parts).items()
    ]
    paid = [(DECLARED, "Declared paid before go-live", facts.declared)]
    if facts.owed_since != 0:
        paid.append((OWED_SINCE, "Arrears owed for the month since", facts.owed_since))
    lines += [
        ArrearsLine(code=code, label=label, old=amount, new=ZERO, difference=-amount)
        for code, label, amount in paid
    ]
    old_gross = facts.declared + facts.owed_since
    new_gross = sum((p.gross for p in parts), ZERO)
    since = f" plus {facts.owed_since:,.2f} owed since" if facts.owed_since != 0 else ""
    explanation = (
        f"{facts.period} was paid before go-live: {facts.declared:,.2f} declared paid{since}, "
        f"{new_gross:,.2f} as corrected with pay policy {policy.id} v{policy.version}, "
        f"difference {new_gross - old_gross:+,.2f}."
    )
    return _month(facts.period, policy, lines, old_gross, new_gross, explanation, basis="declared")


def compute_arrears(
    book: PolicyBook,
    months: Sequence[ArrearsMonthFacts],
    declared: Sequence[DeclaredMonthFacts] = (),
) -> Arrears:
    """The arrears of each past month (any year), oldest first, and their total: `months` paid
    by the platform, `declared` paid before go-live."""
    periods = [(m.period.year, m.period.month) for m in (*months, *declared)]
    if len(set(periods)) != len(periods):
        raise ValueError("a month appears twice in the arrears")
    result = sorted(
        [
            *(arrears_month(book, m) for m in months),
            *(declared_arrears_month(book, m) for m in declared),
        ],
        key=lambda m: (m.period.year, m.period.month),
    )
    return Arrears(months=tuple(result), total=sum((m.difference for m in result), ZERO))
