"""Social insurance and housing fund (五险一金) for one month, employee and employer sides.

DOMAIN.md, "Social insurance and housing fund". The base is last year's average monthly wage
clamped to the floor and ceiling of the policy in force; each item is base × rate, half-up to
the fen. Month rule (chosen, documented): a month's contributions are whole and never prorated;
they are due for every month in which the worker is employed on at least one day, as social
insurance enrols and leaves by the month (the joining and the leaving month both count).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from union_shared.money import FEN

from .earnings import LineKind, PayLine, pay_line
from .policy import Contributions, Insurance
from .slipjson import EXPLANATION, UNDATED, line_head, string
from .tax import PayError
from .trusted import remembered

LABELS = {
    Insurance.PENSION: "Pension insurance (养老保险)",
    Insurance.MEDICAL: "Medical insurance (医疗保险)",
    Insurance.UNEMPLOYMENT: "Unemployment insurance (失业保险)",
    Insurance.WORK_INJURY: "Work-injury insurance (工伤保险)",
}
HOUSING_FUND = "Housing fund (住房公积金)"


class MonthContributions(NamedTuple):
    base: Decimal
    employee: tuple[PayLine, ...]
    employer: tuple[PayLine, ...]
    employee_total: Decimal
    employer_total: Decimal
    head: str  # what every line's explanation begins with (it quotes the declared base)
    items: _Items
    amounts: _Amounts

    def json(self) -> dict[int, str]:
        """Each line's JSON, by the line's id: the lines are held here, so the ids are theirs.

        A line's JSON, written from the parts that repeat: the JSON of an explanation is the
        JSON of its head and of its end, and the amounts hold nothing to escape."""
        escaped = string(self.head)[1:-1]
        return {
            id(line): (
                f"{json_head}{written.replace(',', '')}{EXPLANATION}{escaped}{json_rate_text}"
                f'{written}; whole month."{UNDATED}'
            )
            for line, (_, _, _, _, _, json_head, json_rate_text), (_, written) in zip(
                self.employee + self.employer, self.items.items, self.amounts.each, strict=True
            )
        }


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
    fund_rate = housing_fund_rate(rules, chosen_fund_rate)
    items = remembered(rules, ("items", fund_rate), _items, rules, fund_rate)
    declared = f"{declared_base:,.2f}"
    if rules.base_floor <= declared_base <= rules.base_ceiling:
        base, why = declared_base, items.within
        amounts = _amounts(items, base, declared)
    else:
        # Declared bases rarely repeat, clamped ones do (every base below the floor is the
        # floor): a clamped base's amounts are kept, and only the explanations' head, which
        # quotes the declared base, is written for each worker.
        base = rules.clamp(declared_base)
        why = items.below if declared_base < rules.base_floor else items.above
        key = ("amounts", str(base), fund_rate)
        amounts = remembered(rules, key, _amounts, items, base, f"{base:,.2f}")
    head = f"Base {amounts.base} (the declared average {declared}{why}) × "
    lines = [
        pay_line(kind, code, label, amount, f"{head}{rate_text}{written}; whole month.")
        for (kind, code, label, _, rate_text, _, _), (amount, written) in zip(
            items.items, amounts.each, strict=True
        )
    ]
    return MonthContributions(
        base,
        tuple(lines[: items.employee]),
        tuple(lines[items.employee :]),
        amounts.employee_total,
        amounts.employer_total,
        head,
        items,
        amounts,
    )


# kind, code, label, rate, rate text; the line's JSON up to its amount, the rate text escaped
Item = tuple[LineKind, str, str, Decimal, str, str, str]


@dataclass(frozen=True, slots=True)
class _Items:
    """The items with a non-zero rate, the employee's then the employer's, in listed order."""

    items: list[Item]
    employee: int  # how many of the items are the employee's
    # How the declared base became the base, after the words quoting it:
    below: str
    above: str
    within: str


def _items(rules: Contributions, fund_rate: Decimal) -> _Items:
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
            text = f"{rate:.2%} {side} rate = "
            head = line_head(kind, f"{code}.{side}", label)
            into.append((kind, f"{code}.{side}", label, rate, text, head, string(text)[1:-1]))
    floor, ceiling = f"{rules.base_floor:,.2f}", f"{rules.base_ceiling:,.2f}"
    return _Items(
        employee + employer,
        len(employee),
        f" is raised to the floor {floor}",
        f" is cut to the ceiling {ceiling}",
        f" lies within {floor} to {ceiling}",
    )


class _Amounts(NamedTuple):
    base: str  # as the explanations write it
    each: list[tuple[Decimal, str]]  # each item's amount, and as written (digits and commas)
    employee_total: Decimal
    employer_total: Decimal


def _amounts(items: _Items, base: Decimal, base_text: str) -> _Amounts:
    # fen(base × rate) for each item, written out: most workers' bases are their own
    amounts = [(base * rate).quantize(FEN, ROUND_HALF_UP) for _, _, _, rate, *_ in items.items]
    return _Amounts(
        base_text,
        [(amount, f"{amount:,.2f}") for amount in amounts],
        sum(amounts[: items.employee], Decimal("0.00")),
        sum(amounts[items.employee :], Decimal("0.00")),
    )
