"""Annual appraisal bonuses paid in a month, and which of them, if any, is taxed separately.

DOMAIN.md, "Pay", "Annual appraisal bonus" and "Income tax". A worker may be owed bonuses for
more than one appraisal year at once (a late appraisal, a rating recorded after the next one):
every unpaid bonus is paid in the same month, each a line of its own.

财政部 税务总局公告2023年第30号 (extended to 2027-12-31): a resident may have ONE annual one-off
bonus (全年一次性奖金) a calendar year taxed on its own (单独计税: bonus / 12 finds the rate and
quick deduction in the monthly table); any other bonus is merged with the comprehensive income
(并入当年综合所得) and withheld cumulatively with the wages. With two or more bonuses, payroll
compares every choice it may make: each bonus taxed separately with the others merged, and all
merged. It keeps the one that withholds the least this month (so leaves the most net pay), and
on a tie the one listed first: all merged, then the oldest bonus, because keeping the separate
taxation unused leaves it for a later bonus this year. The comparison is of this month's tax,
which is the tax due for the year to date: the months still to come are not guessed, and the
annual settlement (汇算清缴) lets the worker choose again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from pydantic import Field

from union_shared.vocabulary import Rating

from .earnings import LineKind, PayLine, Period, _Value, pay_line
from .policy import PayPolicy
from .tax import ZERO, BonusTax, Withholding, YearToDate, dead_zone_warning, separate_bonus_tax
from .tax import withhold as cumulative_withholding

ANNOUNCEMENT = "财政部 税务总局公告2023年第30号"


class BonusTaxation(StrEnum):
    SEPARATE = "separate"  # 单独计税: bonus / 12 in the monthly table
    MERGED = "merged"  # 并入当年综合所得: added to this month's cumulative wages


class BonusClaim(_Value):
    """One appraisal year's bonus paid in this month."""

    rating: Rating
    months_served: int = Field(ge=0, le=12)  # months of service in the appraised year
    appraisal_year: int | None = Field(default=None, ge=1900, le=2100)


class PaidBonus(NamedTuple):
    name: str  # "the 2024 bonus", as the choice names it
    line: PayLine


class PaidBonuses(NamedTuple):
    """The month's bonus lines, oldest first, and whether separate taxation may be used."""

    bonuses: tuple[PaidBonus, ...]
    separable: bool

    @property
    def lines(self) -> list[PayLine]:
        return [bonus.line for bonus in self.bonuses]


def pay_bonuses(
    policy: PayPolicy,
    period: Period,
    claims: Sequence[BonusClaim],
    taxation: BonusTaxation,
    used_this_year: bool,
    warnings: list[str],
) -> PaidBonuses:
    """A line for each claim; separable when the worker chose separate taxation, the policy still
    allows it in this period and no bonus was taxed separately earlier this calendar year."""
    bonuses = tuple(_paid(policy, claim, i) for i, claim in enumerate(claims, 1))
    if taxation is BonusTaxation.MERGED or not any(b.line.amount for b in bonuses):
        return PaidBonuses(bonuses, separable=False)
    until = policy.income_tax.separate_bonus.available_until
    if period.first_day > until:
        warnings.append(f"Separate taxation of the annual bonus ended {until}: merged with wages.")
        return PaidBonuses(bonuses, separable=False)
    if used_this_year:
        warnings.append(
            "Separate bonus taxation is allowed once a year and was used: merged with wages."
        )
        return PaidBonuses(bonuses, separable=False)
    return PaidBonuses(bonuses, separable=True)


def _paid(policy: PayPolicy, claim: BonusClaim, number: int) -> PaidBonus:
    rules = policy.annual_bonus
    amount = rules.amount(claim.rating, claim.months_served)
    band = rules.bands[claim.rating]
    if claim.months_served < rules.none_below_months:
        why = f"under {rules.none_below_months} months' service in the appraised year: no bonus"
    elif claim.months_served < rules.full_from_months:
        why = f"band {band:,.2f} for {claim.rating.value} × {claim.months_served}/12 months = {amount:,.2f}"
    else:
        why = f"band for {claim.rating.value}: {amount:,.2f}"
    year = claim.appraisal_year
    if year is None:
        label = "Annual appraisal bonus (年度考核奖金)"
        text = f"Annual appraisal bonus: {why}."
        line = pay_line(LineKind.EARNING, "annual_bonus", label, amount, text)
        return PaidBonus(f"bonus no. {number}", line)
    # The line is dated with the appraised year, so the payslip says which year each bonus pays.
    label = f"Annual appraisal bonus {year} ({year}年度考核奖金)"
    text = f"Annual appraisal bonus for {year}: {why}."
    first, last = date(year, 1, 1), date(year, 12, 31)
    line = pay_line(LineKind.EARNING, "annual_bonus", label, amount, text, first, last)
    return PaidBonus(f"the {year} bonus", line)


class Choice(NamedTuple):
    """How the month's bonuses are taxed: the withholding on wages and merged bonuses, and the
    separate tax line (None: every bonus merged)."""

    withholding: Withholding
    bonus_tax: PayLine | None
    note: str | None  # the choice explained, when there was one to make

    @property
    def total(self) -> Decimal:
        separate = ZERO if self.bonus_tax is None else self.bonus_tax.amount
        return self.withholding.tax_this_month + separate


def tax_bonuses(
    policy: PayPolicy,
    ytd: YearToDate,
    wages: Decimal,
    contributions: Decimal,
    special: Decimal,
    paid: PaidBonuses,
    warnings: list[str],
) -> Choice:
    """This month's income tax with the bonuses: the one choice when there is none to make, else
    the best of every choice (see the module's docstring), explained on the tax line."""
    rules = policy.income_tax

    def merging(separate: int | None) -> Choice:
        merged = sum((b.line.amount for i, b in enumerate(paid.bonuses) if i != separate), ZERO)
        withheld = cumulative_withholding(rules, ytd, wages + merged, contributions, special)
        if separate is None:
            return Choice(withheld, None, None)
        bonus = paid.bonuses[separate].line
        taxed = separate_bonus_tax(rules.separate_bonus, bonus.amount)
        return Choice(withheld, _bonus_tax_line(bonus, taxed, taxed.explanation), None)

    positive = [i for i, b in enumerate(paid.bonuses) if b.line.amount > 0]
    if not paid.separable or not positive:
        return merging(None)
    if len(positive) == 1:  # one bonus to tax: the worker's election applies as it is
        return _warned(policy, paid, positive[0], merging(positive[0]), warnings)
    options = [(None, merging(None)), *((i, merging(i)) for i in positive)]
    best, chosen = min(options, key=lambda option: option[1].total)  # min keeps the first tie
    note = _note(paid, options, best)
    if best is None:
        withholding = chosen.withholding
        text = f"{withholding.explanation} {note}"
        return Choice(withholding._replace(explanation=text), None, note)
    bonus = paid.bonuses[best].line
    separate = separate_bonus_tax(rules.separate_bonus, bonus.amount)
    line = _bonus_tax_line(bonus, separate, f"{separate.explanation} {note}")
    return _warned(policy, paid, best, Choice(chosen.withholding, line, note), warnings)


def _warned(
    policy: PayPolicy, paid: PaidBonuses, separate: int, choice: Choice, warnings: list[str]
) -> Choice:
    amount = paid.bonuses[separate].line.amount
    if (warning := dead_zone_warning(policy.income_tax.separate_bonus, amount)) is not None:
        warnings.append(warning)
    return choice


def _bonus_tax_line(bonus: PayLine, taxed: BonusTax, explanation: str) -> PayLine:
    """The separate tax, dated like the bonus it is on: it names the appraised year taxed."""
    label = "Income tax on the annual bonus (年终奖个税)"
    return pay_line(
        LineKind.TAX, "bonus_tax", label, taxed.tax, explanation, bonus.start, bonus.end
    )


def _note(paid: PaidBonuses, options: list[tuple[int | None, Choice]], best: int | None) -> str:
    def named(separate: int | None) -> str:
        if separate is None:
            return "every bonus merged with the wages"
        return f"{paid.bonuses[separate].name} taxed separately, the rest merged"

    taxes = "; ".join(f"{named(i)}: {choice.total:,.2f}" for i, choice in options)
    if best is None:
        verdict = "no bonus is taxed separately: merging them all"
    else:
        verdict = f"separate taxation goes to {paid.bonuses[best].name}: that"
    return (
        f"{len(paid.bonuses)} annual bonuses are paid this month and only one a calendar year "
        f"may be taxed separately ({ANNOUNCEMENT}); {verdict} withholds the least this month. "
        f"Tax this month under each choice: {taxes}."
    )
