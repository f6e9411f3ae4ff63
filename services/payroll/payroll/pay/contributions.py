"""Social insurance and housing fund (五险一金) for one month, employee and employer sides.

DOMAIN.md, "Social insurance and housing fund". The base is last year's average monthly wage
clamped to the floor and ceiling of the policy in force; each item is base × rate, half-up to
the fen. Month rule (chosen, documented): a month's contributions are whole and never prorated;
they are due for every month in which the worker is employed on at least one day, as social
insurance enrols and leaves by the month (the joining and the leaving month both count).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .earnings import LineKind, PayLine, pay_line
from .policy import Contributions, Insurance
from .tax import PayError
from .trusted import fen, remembered

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
    employee_total: Decimal = field(init=False)
    employer_total: Decimal = field(init=False)

    def __post_init__(self) -> None:
        # Totalled once: the same month's contributions are reused for every worker of a run.
        total = sum((line.amount for line in self.employee), Decimal("0.00"))
        object.__setattr__(self, "employee_total", total)
        total = sum((line.amount for line in self.employer), Decimal("0.00"))
        object.__setattr__(self, "employer_total", total)


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
    """The month's contribution lines; computed once per rules, declared base and fund rate.

    The key holds str(declared_base), not the number: 6000 and 6000.00 (or 0 and -0) are equal
    numbers but not the same text in an explanation or the same Decimal in `base`.
    """
    key = ("month", str(declared_base), chosen_fund_rate)
    return remembered(rules, key, _month_contributions, rules, declared_base, chosen_fund_rate)


def _month_contributions(
    rules: Contributions, declared_base: Decimal, chosen_fund_rate: Decimal | None
) -> MonthContributions:
    base, why = contribution_base(rules, declared_base)
    fund_rate = housing_fund_rate(rules, chosen_fund_rate)
    head = f"Base {base:,.2f} ({why}) × "
    sides = []
    for items in remembered(rules, ("items", fund_rate), _items, rules, fund_rate):
        lines = []
        for kind, code, label, rate, rate_text in items:
            amount = fen(base * rate)
            text = f"{head}{rate_text}{amount:,.2f}; whole month."
            lines.append(pay_line(kind, code, label, amount, text))
        sides.append(tuple(lines))
    return MonthContributions(base, *sides)


Item = tuple[LineKind, str, str, Decimal, str]


def _items(rules: Contributions, fund_rate: Decimal) -> tuple[list[Item], list[Item]]:
    """The employee and the employer items of the rules with a non-zero rate, in listed order."""
    employee: list[Item] = []
    employer: list[Item] = []
    items = [(i.value, LABELS[i], s.employee, s.employer) for i, s in rules.rates.items()]
    items.append(("housing_fund", HOUSING_FUND, fund_rate, fund_rate))
    for code, label, worker_rate, employer_rate in items:
        for kind, side, rate, into in (
            (LineKind.EMPLOYEE_DEDUCTION, "employee", worker_rate, employee),
            (LineKind.EMPLOYER_CONTRIBUTION, "employer", employer_rate, employer),
        ):
            if rate == 0:
                continue  # e.g. work injury has no employee side
            into.append((kind, f"{code}.{side}", label, rate, f"{rate:.2%} {side} rate = "))
    return employee, employer
