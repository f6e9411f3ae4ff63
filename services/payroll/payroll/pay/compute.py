"""The monthly payslip: pure, from the facts of one worker's month and the pay policy book.

The version of the pay policy in force on the period's first day governs the whole period, so a
past period is always computed with the rules of its time. Totals (DOMAIN.md, "Pay"):
net = gross − employee contributions − tax; employer cost = gross + employer contributions.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from pydantic import Field, model_validator

from union_shared.events.catalogue import Qualification, Rating
from union_shared.money import Money

from .arrears import Arrears
from .contributions import MonthContributions, month_contributions
from .earnings import Employment, Interval, LineKind, Part, PayLine, Period, _Value, earning_parts
from .funders import FunderPart, split
from .policy import PayPolicy, PolicyBook, Rate
from .tax import (
    ZERO,
    SpecialDeductionClaim,
    YearToDate,
    dead_zone_warning,
    separate_bonus_tax,
    special_deductions,
    withhold,
)


class BonusTaxation(StrEnum):
    SEPARATE = "separate"  # 单独计税: bonus / 12 in the monthly table
    MERGED = "merged"  # 并入当年综合所得: added to this month's cumulative wages


class BonusClaim(_Value):
    """The annual appraisal bonus paid in this month."""

    rating: Rating
    months_served: int = Field(ge=0, le=12)  # months of service in the appraised year
    taxation: BonusTaxation = BonusTaxation.SEPARATE
    separate_already_used_this_year: bool = False  # separate taxation: once per person per year


class PayFacts(Employment):
    """Everything one worker's month depends on; the service gathers it, nothing here reads it."""

    period: Period
    intervals: tuple[Interval, ...] = Field(min_length=1)
    qualification: Qualification = Qualification.NONE
    declared_base: Money = Field(ge=0)  # last year's average monthly wage, before clamping
    housing_fund_rate: Rate | None = None  # None: the policy's default rate
    special_deductions: SpecialDeductionClaim = SpecialDeductionClaim()
    ytd: YearToDate = YearToDate()  # this tax year before this month
    bonus: BonusClaim | None = None
    arrears: Arrears | None = None

    @model_validator(mode="after")
    def _consistent(self) -> PayFacts:
        if self.ytd.months_employed > self.period.month - 1:
            raise ValueError(
                f"{self.ytd.months_employed} months employed before {self.period} is impossible"
            )
        if self.arrears and any(
            (m.period.year, m.period.month) >= (self.period.year, self.period.month)
            for m in self.arrears.months
        ):
            raise ValueError(f"arrears must be for months before {self.period}")
        return self


class Payslip(_Value):
    period: Period
    policy_id: str
    policy_version: int
    lines: tuple[PayLine, ...]
    gross: Money
    employee_deductions: Money
    tax: Money
    net: Money
    employer_contributions: Money
    employer_cost: Money
    contribution_base: Money
    funder_parts: tuple[FunderPart, ...]
    warnings: tuple[str, ...]
    ytd_after: YearToDate  # this tax year including this month: next month's `ytd`

    @model_validator(mode="after")
    def _adds_up(self) -> Payslip:
        def total(kind: LineKind) -> Decimal:
            return sum((line.amount for line in self.lines if line.kind is kind), ZERO)

        checks = {
            "gross": (self.gross, total(LineKind.EARNING)),
            "employee deductions": (self.employee_deductions, total(LineKind.EMPLOYEE_DEDUCTION)),
            "tax": (self.tax, total(LineKind.TAX)),
            "employer contributions": (
                self.employer_contributions,
                total(LineKind.EMPLOYER_CONTRIBUTION),
            ),
            "net": (self.net, self.gross - self.employee_deductions - self.tax),
            "employer cost": (self.employer_cost, self.gross + self.employer_contributions),
            "funder parts": (self.employer_cost, sum((p.amount for p in self.funder_parts), ZERO)),
        }
        for name, (stated, computed) in checks.items():
            if stated != computed:
                raise ValueError(f"payslip {name} {stated} does not add up to {computed}")
        return self

    def lines_of(self, kind: LineKind) -> tuple[PayLine, ...]:
        return tuple(line for line in self.lines if line.kind is kind)


def compute_payslip(book: PolicyBook, facts: PayFacts) -> Payslip:
    policy = book.for_period(facts.period.year, facts.period.month)
    warnings: list[str] = []
    parts = earning_parts(policy, facts.period, facts, facts.intervals, facts.qualification)
    earnings = [line for part in parts for line in part.lines]
    if facts.arrears is not None:
        arrears = facts.arrears
        earnings.append(
            _earning("arrears", "Arrears (补发工资)", arrears.total, arrears.explanation())
        )
    taxed_with_wages = sum((line.amount for line in earnings), ZERO)
    tax_lines: list[PayLine] = []
    if facts.bonus is not None:
        bonus_line, bonus_tax = _bonus(policy, facts.period, facts.bonus, warnings)
        earnings.append(bonus_line)
        if bonus_tax is None:
            taxed_with_wages += bonus_line.amount
        else:
            tax_lines.append(bonus_tax)
    contributions = month_contributions(
        policy.contributions, facts.declared_base, facts.housing_fund_rate
    )
    special = special_deductions(policy.special_deductions, facts.special_deductions)
    withheld = withhold(
        policy.income_tax, facts.ytd, taxed_with_wages, contributions.employee_total, special
    )
    if withheld.tax_due_to_date < facts.ytd.tax_withheld:
        warnings.append(
            f"Tax due to date {withheld.tax_due_to_date:,.2f} is below the {facts.ytd.tax_withheld:,.2f} "
            "already withheld: nothing is withheld this month; the annual settlement refunds any excess."
        )
    tax_lines.insert(0, PayLine(
        kind=LineKind.TAX, code="income_tax", label="Individual income tax (个人所得税)",
        amount=withheld.tax_this_month, explanation=withheld.explanation,
    ))  # fmt: skip
    return _assemble(
        policy, facts, parts, earnings, contributions, tax_lines, withheld.after, warnings
    )


def _assemble(
    policy: PayPolicy,
    facts: PayFacts,
    parts: tuple[Part, ...],
    earnings: list[PayLine],
    contributions: MonthContributions,
    tax_lines: list[PayLine],
    ytd_after: YearToDate,
    warnings: list[str],
) -> Payslip:
    gross = sum((line.amount for line in earnings), ZERO)
    deductions = contributions.employee_total
    tax = sum((line.amount for line in tax_lines), ZERO)
    net = gross - deductions - tax
    if net < 0:
        warnings.append(f"Net pay is negative ({net:,.2f}): deductions exceed this month's gross.")
    employer_cost = gross + contributions.employer_total
    month_level = employer_cost - sum((p.gross for p in parts), ZERO)
    return Payslip(
        period=facts.period,
        policy_id=policy.id,
        policy_version=policy.version,
        lines=(*earnings, *contributions.employee, *tax_lines, *contributions.employer),
        gross=gross,
        employee_deductions=deductions,
        tax=tax,
        net=net,
        employer_contributions=contributions.employer_total,
        employer_cost=employer_cost,
        contribution_base=contributions.base,
        funder_parts=split(employer_cost, funder_weights(parts, month_level)),
        warnings=tuple(warnings),
        ytd_after=ytd_after,
    )


def _earning(code: str, label: str, amount: Decimal, explanation: str) -> PayLine:
    return PayLine(
        kind=LineKind.EARNING, code=code, label=label, amount=amount, explanation=explanation
    )


def _bonus(
    policy: PayPolicy, period: Period, claim: BonusClaim, warnings: list[str]
) -> tuple[PayLine, PayLine | None]:
    """The bonus line, and its separate tax line (None when it is merged with the wages)."""
    rules = policy.annual_bonus
    amount = rules.amount(claim.rating, claim.months_served)
    band = rules.bands[claim.rating]
    if claim.months_served < rules.none_below_months:
        why = f"under {rules.none_below_months} months' service in the appraised year: no bonus"
    elif claim.months_served < rules.full_from_months:
        why = f"band {band:,.2f} for {claim.rating.value} × {claim.months_served}/12 months = {amount:,.2f}"
    else:
        why = f"band for {claim.rating.value}: {amount:,.2f}"
    label = "Annual appraisal bonus (年度考核奖金)"
    line = _earning("annual_bonus", label, amount, f"Annual appraisal bonus: {why}.")
    if claim.taxation is BonusTaxation.MERGED or amount == 0:
        return line, None
    separate = policy.income_tax.separate_bonus
    if period.first_day > separate.available_until:
        warnings.append(
            f"Separate taxation of the annual bonus ended {separate.available_until}: "
            "merged with wages."
        )
        return line, None
    if claim.separate_already_used_this_year:
        warnings.append(
            "Separate bonus taxation is allowed once a year and was used: merged with wages."
        )
        return line, None
    if (warning := dead_zone_warning(separate, amount)) is not None:
        warnings.append(warning)
    taxed = separate_bonus_tax(separate, amount)
    return line, PayLine(
        kind=LineKind.TAX, code="bonus_tax", label="Income tax on the annual bonus (年终奖个税)",
        amount=taxed.tax, explanation=taxed.explanation,
    )  # fmt: skip


def funder_weights(parts: Sequence[Part], month_level: Decimal) -> list[tuple[str, Fraction]]:
    """Each funder's share of the month's employer cost, exactly.

    Rule (chosen, documented): each interval carries its own earning lines plus a share of the
    month-level amounts (employer contributions, bonus, arrears) pro rata by its days; the
    interval's cost is then divided by its funder shares. Funders are listed in order of first
    appearance, which is the order that wins ties in the largest-remainder split.
    """
    employed = sum(p.days for p in parts)
    costs: dict[str, Fraction] = {}
    by_days: dict[str, Fraction] = {}
    for part in parts:
        cost = Fraction(part.gross) + Fraction(month_level) * part.days / employed
        for share in part.interval.funders:
            weight = Fraction(share.percent) / 100
            costs[share.funder] = costs.get(share.funder, Fraction(0)) + cost * weight
            by_days[share.funder] = (
                by_days.get(share.funder, Fraction(0)) + weight * part.days / employed
            )
    total = sum(costs.values(), Fraction(0))
    if total == 0:  # nothing to weigh by cost (e.g. arrears cancel the month): use days
        return list(by_days.items())
    return [(funder, cost / total) for funder, cost in costs.items()]
