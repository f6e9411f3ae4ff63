"""Social insurance and housing fund (五险一金) for one month, employee and employer sides.

DOMAIN.md, "Social insurance and housing fund". The base is last year's average monthly wage
clamped to the floor and ceiling of the policy in force; each item is base × rate, half-up to
the fen. Month rule (chosen, documented): a month's contributions are whole and never prorated;
they are due for every month in which the worker is employed on at least one day, as social
insurance enrols and leaves by the month (the joining and the leaving month both count).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from union_shared.money import to_money

from .earnings import LineKind, PayLine
from .policy import Contributions, Insurance
from .tax import PayError

LABELS = {
    Insurance.PENSION: "Pension insurance (养老保险)",
    Insurance.MEDICAL: "Medical insurance (医疗保险)",
    Insurance.UNEMPLOYMENT: "Unemployment insurance (失业保险)",
    Insurance.WORK_INJURY: "Work-injury insurance (工伤保险)",
}
HOUSING_FUND = "Housing fund (住房公积金)"


@dataclass(frozen=True, slots=True)
class MonthContributions:
    base: Decimal
    employee: tuple[PayLine, ...]
    employer: tuple[PayLine, ...]

    @property
    def employee_total(self) -> Decimal:
        return sum((line.amount for line in self.employee), Decimal("0.00"))

    @property
    def employer_total(self) -> Decimal:
        return sum((line.amount for line in self.employer), Decimal("0.00"))


def contribution_base(rules: Contributions, declared: Decimal) -> tuple[Decimal, str]:
    base = rules.clamp(declared)
    if declared < rules.base_floor:
        why = f"the declared average {declared:,.2f} is raised to the floor {rules.base_floor:,.2f}"
    elif declared > rules.base_ceiling:
        why = (
            f"the declared average {declared:,.2f} is cut to the ceiling {rules.base_ceiling:,.2f}"
        )
    else:
        why = (
            f"the declared average {declared:,.2f} lies within "
            f"{rules.base_floor:,.2f} to {rules.base_ceiling:,.2f}"
        )
    return base, why


def housing_fund_rate(rules: Contributions, chosen: Decimal | None) -> Decimal:
    fund = rules.housing_fund
    if chosen is None:
        return fund.default_rate
    if not fund.min_rate <= chosen <= fund.max_rate:
        raise PayError(
            f"housing fund rate {chosen:.2%} lies outside {fund.min_rate:.0%} to {fund.max_rate:.0%}"
        )
    return chosen


def month_contributions(
    rules: Contributions, declared_base: Decimal, chosen_fund_rate: Decimal | None
) -> MonthContributions:
    base, why = contribution_base(rules, declared_base)
    fund_rate = housing_fund_rate(rules, chosen_fund_rate)
    employee: list[PayLine] = []
    employer: list[PayLine] = []
    items = [(i.value, LABELS[i], s.employee, s.employer) for i, s in rules.rates.items()]
    items.append(("housing_fund", HOUSING_FUND, fund_rate, fund_rate))
    for code, label, worker_rate, employer_rate in items:
        for kind, side, rate, into in (
            (LineKind.EMPLOYEE_DEDUCTION, "employee", worker_rate, employee),
            (LineKind.EMPLOYER_CONTRIBUTION, "employer", employer_rate, employer),
        ):
            if rate == 0:
                continue  # e.g. work injury has no employee side
            amount = to_money(base * rate)
            text = (
                f"Base {base:,.2f} ({why}) × {rate:.2%} {side} rate = {amount:,.2f}; whole month."
            )
            into.append(
                PayLine(
                    kind=kind, code=f"{code}.{side}", label=label, amount=amount, explanation=text
                )
            )
    return MonthContributions(base, tuple(employee), tuple(employer))
