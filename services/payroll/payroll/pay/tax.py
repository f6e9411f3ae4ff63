"""Individual income tax on wages: cumulative withholding and the separately taxed annual bonus.

DOMAIN.md, "Pay", "Income tax (累计预扣法)". Every amount is a Decimal quantised half-up to the fen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from itertools import pairwise
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

from union_shared.money import FEN, Money, PositiveMoney, to_money

from .policy import Bracket, CitySize, IncomeTax, SeparateBonus, SpecialDeductionRates
from .trusted import fen, remembered, trusted

ZERO = Decimal("0.00")
NonNegative = Field(default=ZERO, ge=0)


class PayError(ValueError):
    """Facts that the policy in force refuses (a rate out of range, an over-large claim...)."""


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class YearToDate(_Value):
    """Totals of this tax year with this employer, before (or after) a month."""

    wages_taxable: Money = NonNegative  # every wage taxed cumulatively (not a separate bonus)
    employee_contributions: Money = NonNegative
    special_deductions: Money = NonNegative
    tax_withheld: Money = NonNegative
    months_employed: int = Field(default=0, ge=0, le=12)

    @classmethod
    def of(
        cls, wages: Decimal, contributions: Decimal, special: Decimal, tax: Decimal, months: int
    ) -> YearToDate:
        """Totals computed to the fen; validated only when one breaks a rule (to raise)."""
        if wages >= 0 and contributions >= 0 and special >= 0 and tax >= 0 and 0 <= months <= 12:
            values = {
                "wages_taxable": wages, "employee_contributions": contributions,
                "special_deductions": special, "tax_withheld": tax, "months_employed": months,
            }  # fmt: skip
            return trusted(cls, values, _YTD_FIELDS)
        return cls(
            wages_taxable=wages,
            employee_contributions=contributions,
            special_deductions=special,
            tax_withheld=tax,
            months_employed=months,
        )


_YTD_FIELDS = frozenset(YearToDate.model_fields)


class SpecialDeductionClaim(_Value):
    """What the worker declared for the month (专项附加扣除); amounts come from the policy."""

    children_in_education: int = Field(default=0, ge=0, le=20)
    infants_under_3: int = Field(default=0, ge=0, le=20)
    elderly_only_child: bool = False
    elderly_share: PositiveMoney | None = None  # not an only child: the share
    housing_loan: bool = False
    rent_city: CitySize | None = None
    continuing_education: bool = False

    @model_validator(mode="after")
    def _exclusive(self) -> SpecialDeductionClaim:
        if self.housing_loan and self.rent_city is not None:
            raise ValueError("housing loan interest and rent cannot both be claimed")
        if self.elderly_only_child and self.elderly_share is not None:
            raise ValueError("an only child claims the full elderly deduction, not a share")
        return self


def special_deductions(rates: SpecialDeductionRates, claim: SpecialDeductionClaim) -> Decimal:
    # The total depends only on the claim's values: computed once per distinct claim.
    key = ("claim", *claim.__dict__.values())
    return remembered(rates, key, _special_deductions, rates, claim)


def _special_deductions(rates: SpecialDeductionRates, claim: SpecialDeductionClaim) -> Decimal:
    if claim.elderly_share is not None and claim.elderly_share > rates.elderly_support_share_max:
        raise PayError(
            f"elderly-support share {claim.elderly_share} is above the maximum "
            f"{rates.elderly_support_share_max} for a worker who is not an only child"
        )
    elderly = rates.elderly_support_only_child if claim.elderly_only_child else ZERO
    housing = rates.housing_loan_interest if claim.housing_loan else ZERO
    if claim.rent_city is not None:
        housing = rates.housing_rent[claim.rent_city]
    return to_money(
        claim.children_in_education * rates.child_education_per_child
        + claim.infants_under_3 * rates.infant_care_per_child
        + elderly
        + (claim.elderly_share or ZERO)
        + housing
        + (rates.continuing_education if claim.continuing_education else ZERO)
    )


def bracket_for(table: list[Bracket], amount: Decimal, scale: int = 1) -> Bracket:
    """The bracket whose edge (× scale) is the first at or above the amount."""
    for bracket in table:
        if bracket.up_to is None or amount <= bracket.up_to * scale:
            return bracket
    return table[-1]


def tax_on(table: list[Bracket], taxable: Decimal) -> Decimal:
    """Tax on a cumulative taxable amount: amount × rate − quick deduction; nothing below zero."""
    if taxable <= 0:
        return ZERO
    bracket = bracket_for(table, taxable)
    return fen(taxable * bracket.rate - bracket.quick_deduction)


class Withholding(NamedTuple):
    taxable_to_date: Decimal
    bracket: Bracket
    tax_due_to_date: Decimal
    tax_this_month: Decimal
    after: YearToDate
    explanation: str


def withhold(
    rules: IncomeTax,
    before: YearToDate,
    wages: Decimal,
    contributions: Decimal,
    special: Decimal,
) -> Withholding:
    """This month's tax by cumulative withholding.

    Taxable to date = wages to date − basic deduction × months employed − employee contributions
    to date − special deductions to date; tax due to date from the annual table minus tax already
    withheld. A negative difference withholds nothing this month and is not refunded: the next
    month's cumulative computation absorbs it (STA 2018 No. 61, art. 6).
    """
    if before.months_employed >= 12:
        raise PayError("twelve months are already counted in this tax year")
    after_wages = fen(before.wages_taxable + wages)
    after_contrib = fen(before.employee_contributions + contributions)
    after_special = fen(before.special_deductions + special)
    months = before.months_employed + 1
    basic = rules.basic_deduction_monthly * months
    taxable = fen(after_wages - basic - after_contrib - after_special)
    bracket = bracket_for(rules.annual_table, taxable)
    # tax_on(rules.annual_table, taxable), with the bracket already found
    due = ZERO if taxable <= 0 else fen(taxable * bracket.rate - bracket.quick_deduction)
    this_month = max(ZERO, fen(due - before.tax_withheld))
    after = YearToDate.of(
        after_wages, after_contrib, after_special, fen(before.tax_withheld + this_month), months
    )
    text = _explain(rules, bracket, before, after, taxable, due)
    return Withholding(taxable, bracket, due, this_month, after, text)


def _explain(
    rules: IncomeTax,
    bracket: Bracket,
    before: YearToDate,
    after: YearToDate,
    taxable: Decimal,
    due: Decimal,
) -> str:
    taxable_text = f"{taxable:,.2f}"
    text = (
        f"Taxable to date: wages {after.wages_taxable:,.2f} − basic deduction "
        f"{rules.basic_deduction_monthly:,.2f} × {after.months_employed} month(s) − contributions "
        f"{after.employee_contributions:,.2f} − special deductions "
        f"{after.special_deductions:,.2f} = {taxable_text}. "
    )
    if taxable <= 0:
        text += "Nothing is taxable yet, so no tax is due to date. "
    else:
        text += (
            f"Tax due to date: {taxable_text} × {bracket.rate:.0%} − quick deduction "
            f"{bracket.quick_deduction:,.2f} = {due:,.2f}. "
        )
    text += f"Less {before.tax_withheld:,.2f} already withheld this year"
    if due < before.tax_withheld:
        return text + ": negative, so nothing is withheld this month and nothing is refunded."
    return text + f": {after.tax_withheld - before.tax_withheld:,.2f} this month."


@dataclass(frozen=True, slots=True)
class BonusTax:
    bonus: Decimal
    bracket: Bracket
    tax: Decimal
    explanation: str


def separate_bonus_tax(rules: SeparateBonus, bonus: Decimal) -> BonusTax:
    """Bonus ÷ 12 finds the rate and quick deduction in the monthly table; tax = bonus × rate − q.d."""
    # Comparing bonus with 12 × edge is the same test as bonus / 12 with edge, without division.
    bracket = bracket_for(rules.monthly_table, bonus, scale=12)
    tax = max(ZERO, to_money(bonus * bracket.rate - bracket.quick_deduction))
    text = (
        f"Annual bonus taxed separately: {bonus:,.2f} ÷ 12 falls in the {bracket.rate:.0%} "
        f"bracket of the monthly table; {bonus:,.2f} × {bracket.rate:.0%} − quick deduction "
        f"{bracket.quick_deduction:,.2f} = {tax:,.2f}."
    )
    return BonusTax(bonus, bracket, tax, text)


def after_tax(rules: SeparateBonus, bonus: Decimal) -> Decimal:
    return bonus - separate_bonus_tax(rules, bonus).tax


@dataclass(frozen=True, slots=True)
class DeadZone:
    """Bonuses from low to high (inclusive) leave less after tax than a bonus of exactly edge."""

    edge: Decimal
    low: Decimal
    high: Decimal
    after_tax_at_edge: Decimal


def bonus_dead_zones(rules: SeparateBonus) -> tuple[DeadZone, ...]:
    """The exact dead zone above every edge of the monthly table, to the fen.

    Just above an edge E the whole bonus jumps to the next rate, so the after-tax amount falls
    below what E itself leaves; it catches up at X where X(1 − r') + q' = E − tax(E). The end is
    found from that formula and then settled against the rounded tax, fen by fen.
    """
    zones: list[DeadZone] = []
    for lower, upper in pairwise(rules.monthly_table):
        edge = to_money((lower.up_to or ZERO) * 12)
        kept = after_tax(rules, edge)
        catch_up = (kept - upper.quick_deduction) / (1 - upper.rate)
        high = catch_up.quantize(FEN, rounding=ROUND_FLOOR)
        while after_tax(rules, high + FEN) < kept:
            high += FEN
        while high > edge and after_tax(rules, high) >= kept:
            high -= FEN
        if high > edge:
            zones.append(DeadZone(edge, edge + FEN, high, kept))
    return tuple(zones)


def dead_zone_warning(rules: SeparateBonus, bonus: Decimal) -> str | None:
    for zone in remembered(rules, "dead zones", bonus_dead_zones, rules):
        if zone.low <= bonus <= zone.high:
            return (
                f"The annual bonus {bonus:,.2f} lies in the dead zone {zone.low:,.2f} to "
                f"{zone.high:,.2f} above the bracket edge {zone.edge:,.2f}: it leaves "
                f"{after_tax(rules, bonus):,.2f} after tax, less than the "
                f"{zone.after_tax_at_edge:,.2f} a bonus of {zone.edge:,.2f} would leave."
            )
    return None
