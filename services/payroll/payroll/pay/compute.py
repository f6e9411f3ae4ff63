"""The monthly payslip: pure, from the facts of one worker's month and the pay policy book.

The version of the pay policy in force on the period's first day governs the whole period, so a
past period is always computed with the rules of its time. Totals (DOMAIN.md, "Pay"):
net = gross − employee contributions − tax; employer cost = gross + employer contributions.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from pydantic import Field, model_validator

from union_shared.money import Money
from union_shared.vocabulary import Qualification

from .arrears import Arrears
from .bonuses import BonusClaim, BonusTaxation, pay_bonuses, tax_bonuses
from .contributions import MonthContributions, month_contributions
from .earnings import (
    Employment,
    Interval,
    LineKind,
    Part,
    PayLine,
    Period,
    earning_parts,
    pay_line,
)
from .funders import MILLION, Weights, in_common, per_million, share_weights, split_whole
from .payslip import Payslip, assembled
from .policy import PayPolicy, PolicyBook, Rate
from .slipjson import attach
from .tax import ZERO, SpecialDeductionClaim, YearToDate, special_deductions
from .trusted import fen, remembered

__all__ = ["BonusClaim", "BonusTaxation", "PayFacts", "Payslip", "compute_payslip"]


class PayFacts(Employment):
    """Everything one worker's month depends on; the service gathers it, nothing here reads it."""

    period: Period
    intervals: tuple[Interval, ...] = Field(min_length=1)
    qualification: Qualification = Qualification.NONE
    declared_base: Money = Field(ge=0)  # last year's average monthly wage, before clamping
    housing_fund_rate: Rate | None = None  # None: the policy's default rate
    special_deductions: SpecialDeductionClaim = SpecialDeductionClaim()
    ytd: YearToDate = YearToDate()  # this tax year before this month
    bonuses: tuple[BonusClaim, ...] = ()  # every unpaid appraisal bonus, oldest year first
    bonus_taxation: BonusTaxation = BonusTaxation.SEPARATE  # the worker's election
    separate_bonus_used: bool = False  # a bonus was taxed separately earlier this calendar year
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
        years = [claim.appraisal_year for claim in self.bonuses if claim.appraisal_year]
        if years != sorted(set(years)):
            raise ValueError("bonuses must be for distinct appraisal years, oldest first")
        return self


def compute_payslip(book: PolicyBook, facts: PayFacts) -> Payslip:
    period = facts.period
    year, month = period.year, period.month
    policy = remembered(book, ("for period", year, month), book.for_period, year, month)
    warnings: list[str] = []
    parts = earning_parts(policy, period, facts, facts.intervals, facts.qualification)
    earnings = [line for part in parts for line in part.lines]
    if facts.arrears is not None:
        arrears = facts.arrears
        earnings.append(
            _earning("arrears", "Arrears (补发工资)", arrears.total, arrears.explanation())
        )
    taxed_with_wages = sum((line.amount for line in earnings), ZERO)
    paid = pay_bonuses(
        policy, period, facts.bonuses, facts.bonus_taxation, facts.separate_bonus_used, warnings
    )
    earnings.extend(paid.lines)
    contributions = month_contributions(
        policy.contributions, facts.declared_base, facts.housing_fund_rate
    )
    special = special_deductions(policy.special_deductions, facts.special_deductions)
    choice = tax_bonuses(
        policy, facts.ytd, taxed_with_wages, contributions.employee_total, special, paid, warnings
    )
    withheld = choice.withholding
    if withheld.tax_due_to_date < facts.ytd.tax_withheld:
        warnings.append(
            f"Tax due to date {withheld.tax_due_to_date:,.2f} is below the {facts.ytd.tax_withheld:,.2f} "
            "already withheld: nothing is withheld this month; the annual settlement refunds any excess."
        )
    tax_lines = [] if choice.bonus_tax is None else [choice.bonus_tax]
    tax_lines.insert(0, pay_line(
        LineKind.TAX, "income_tax", "Individual income tax (个人所得税)",
        withheld.tax_this_month, withheld.explanation,
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
    employer_total = contributions.employer_total
    tax = sum((line.amount for line in tax_lines), ZERO)
    net = gross - deductions - tax
    if net < 0:
        warnings.append(f"Net pay is negative ({net:,.2f}): deductions exceed this month's gross.")
    employer_cost = gross + employer_total
    if len(parts) == 1:  # one interval: its funder shares are the weights, whatever the cost
        weights = share_weights(parts[0].interval.funders)
    else:
        month_level = employer_cost - sum((p.gross for p in parts), ZERO)
        weights = funder_weights(parts, month_level)
    slip = assembled({
        "period": facts.period,
        "policy_id": policy.id,
        "policy_version": policy.version,
        "lines": (*earnings, *contributions.employee, *tax_lines, *contributions.employer),
        "gross": gross,
        "employee_deductions": deductions,
        "tax": tax,
        "net": net,
        "employer_contributions": employer_total,
        "employer_cost": employer_cost,
        "contribution_base": fen(contributions.base),
        "funder_parts": split_whole(employer_cost, weights),
        "warnings": tuple(warnings),
        "ytd_after": ytd_after,
    })  # fmt: skip
    attach(slip, contributions.json)
    return slip


def _earning(code: str, label: str, amount: Decimal, explanation: str) -> PayLine:
    return pay_line(LineKind.EARNING, code, label, amount, explanation)


def funder_weights(parts: Sequence[Part], month_level: Decimal) -> Weights:
    """Each funder's share of the month's employer cost, exactly.

    Rule (chosen, documented): each interval carries its own earning lines plus a share of the
    month-level amounts (employer contributions, bonus, arrears) pro rata by its days; the
    interval's cost is then divided by its funder shares. Funders are listed in order of first
    appearance, which is the order that wins ties in the largest-remainder split.
    """
    weights = _weights_in_integers(parts, month_level)
    return weights if weights is not None else in_common(_weights_in_fractions(parts, month_level))


def _weights_in_integers(parts: Sequence[Part], month_level: Decimal) -> Weights | None:
    """The same weights with every quantity a whole number of fen, days or millionths of a
    share, over one common denominator; None when an amount or a share is finer."""
    level = _in_fen(month_level)
    if level is None:
        return None
    employed = sum(p.days for p in parts)
    costs: dict[str, int] = {}  # the funder's cost × days employed × 10^6, in fen
    by_days: dict[str, int] = {}  # the funder's share of the days × days employed × 10^6
    for part in parts:
        gross = _in_fen(part.gross)
        if gross is None:
            return None
        days = part.days
        cost = gross * employed + level * days
        for share in part.interval.funders:
            weight = per_million(share.percent)
            if weight is None:
                return None
            costs[share.funder] = costs.get(share.funder, 0) + cost * weight
            by_days[share.funder] = by_days.get(share.funder, 0) + weight * days
    total = sum(costs.values())
    if total == 0:  # nothing to weigh by cost (e.g. arrears cancel the month): use days
        return list(by_days.items()), employed * MILLION
    if total < 0:  # a negative cost (arrears): the same fractions, over a positive denominator
        return [(funder, -cost) for funder, cost in costs.items()], -total
    return list(costs.items()), total


def _in_fen(amount: Decimal) -> int | None:
    numerator, denominator = amount.as_integer_ratio()
    return None if 100 % denominator else numerator * (100 // denominator)


def _weights_in_fractions(
    parts: Sequence[Part], month_level: Decimal
) -> list[tuple[str, Fraction]]:
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
    if total == 0:
        return list(by_days.items())
    return [(funder, cost / total) for funder, cost in costs.items()]
