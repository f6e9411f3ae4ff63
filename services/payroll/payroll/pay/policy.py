"""Pay policy as versioned data (DOMAIN.md, "Pay"): validated on load, never edited once in force.

Every figure is data, never a constant in code. Decimals must be written as quoted strings in
YAML: an unquoted 1.05 is read as a float, which money and rates never are, so it is refused.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from union_shared.money import Money, to_money
from union_shared.versioned import check_ordered, in_force, shipped_books
from union_shared.vocabulary import Qualification, Rating

POLICIES_DIR = Path(__file__).with_name("policies")
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def no_float(value: Any) -> Any:
    if isinstance(value, float):
        raise ValueError(f"write {value!r} as a quoted decimal string: floats are never exact")
    return value


Exact = Annotated[Decimal, BeforeValidator(no_float)]
Rate = Annotated[Exact, Field(ge=0, le=1)]
Amount = Annotated[Money, Field(ge=0)]


class UnknownGrade(LookupError):
    """A post and level that the pay policy in force has no coefficient for."""


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Doc):
    """Monthly pay = reference amount × coefficient of the post and level, for one grading ladder."""

    ladder: str = Field(pattern=SLUG)  # the grading policy id, e.g. tianjin-3p18l
    reference_amount: Amount
    coefficients: dict[str, dict[int, Annotated[Exact, Field(gt=0)]]] = Field(min_length=1)

    def coefficient(self, post: str, level: int) -> Decimal:
        try:
            return self.coefficients[post][level]
        except KeyError:
            raise UnknownGrade(
                f"{self.ladder}: no coefficient for post {post!r} level {level}"
            ) from None


class Split(_Doc):
    base: Rate
    performance: Rate

    @model_validator(mode="after")
    def _whole(self) -> Split:
        if self.base + self.performance != 1:
            raise ValueError(f"split base {self.base} + performance {self.performance} is not 1")
        return self


class AnnualBonus(_Doc):
    bands: dict[Rating, Amount]
    none_below_months: int = Field(default=6, ge=0, le=12)
    full_from_months: int = Field(default=12, ge=1, le=12)

    @model_validator(mode="after")
    def _complete(self) -> AnnualBonus:
        missing = set(Rating) - set(self.bands)
        if missing:
            raise ValueError(f"annual_bonus: no band for {sorted(r.value for r in missing)}")
        if self.none_below_months > self.full_from_months:
            raise ValueError("annual_bonus: none_below_months is above full_from_months")
        return self

    def amount(self, rating: Rating, months_served: int) -> Decimal:
        """The band, nothing under the minimum service, pro rata by whole months below a year."""
        if months_served < self.none_below_months:
            return Decimal("0.00")
        band = self.bands[rating]
        if months_served >= self.full_from_months:
            return band
        return to_money(band * months_served / 12)


class Insurance(StrEnum):
    PENSION = "pension"
    MEDICAL = "medical"
    UNEMPLOYMENT = "unemployment"
    WORK_INJURY = "work_injury"


class Sides(_Doc):
    employee: Rate
    employer: Rate


class HousingFund(_Doc):
    min_rate: Rate
    max_rate: Rate
    default_rate: Rate

    @model_validator(mode="after")
    def _ordered(self) -> HousingFund:
        if not self.min_rate <= self.default_rate <= self.max_rate:
            raise ValueError("housing_fund: need min_rate <= default_rate <= max_rate")
        return self


class Contributions(_Doc):
    base_floor: Amount
    base_ceiling: Amount
    rates: dict[Insurance, Sides]
    housing_fund: HousingFund

    @model_validator(mode="after")
    def _complete(self) -> Contributions:
        if self.base_floor > self.base_ceiling:
            raise ValueError("contributions: base_floor is above base_ceiling")
        missing = set(Insurance) - set(self.rates)
        if missing:
            raise ValueError(f"contributions: no rates for {sorted(i.value for i in missing)}")
        return self

    def clamp(self, declared: Decimal) -> Decimal:
        return min(max(declared, self.base_floor), self.base_ceiling)


class Bracket(_Doc):
    up_to: Amount | None  # inclusive upper edge; None for the top bracket
    rate: Rate
    quick_deduction: Amount


def _check_table(table: list[Bracket], name: str) -> None:
    *lower, top = table
    if top.up_to is not None or any(b.up_to is None for b in lower):
        raise ValueError(f"{name}: only the last bracket is open (up_to: null)")
    for a, b in pairwise(table):
        edge = a.up_to or Decimal(0)  # never None here: only the last bracket is open
        if b.up_to is not None and b.up_to <= edge:
            raise ValueError(f"{name}: edges must increase")
        if b.rate <= a.rate:
            raise ValueError(f"{name}: rates must increase")
        # The quick deduction makes the tax continuous at the edge; a typo breaks that.
        expected = a.quick_deduction + edge * (b.rate - a.rate)
        if b.quick_deduction != expected:
            raise ValueError(
                f"{name}: quick deduction above {edge} is {b.quick_deduction}, "
                f"continuity needs {expected}"
            )


class SeparateBonus(_Doc):
    """The one-off annual bonus taxed on its own (全年一次性奖金单独计税) until a end date."""

    monthly_table: list[Bracket] = Field(min_length=1)
    available_until: date

    @model_validator(mode="after")
    def _table(self) -> SeparateBonus:
        _check_table(self.monthly_table, "separate_bonus.monthly_table")
        return self


class IncomeTax(_Doc):
    basic_deduction_monthly: Amount
    annual_table: list[Bracket] = Field(min_length=1)
    separate_bonus: SeparateBonus

    @model_validator(mode="after")
    def _table(self) -> IncomeTax:
        _check_table(self.annual_table, "income_tax.annual_table")
        return self


class CitySize(StrEnum):
    LARGE = "large"  # municipalities, provincial capitals, cities listed separately in the plan
    MEDIUM = "medium"  # registered population above one million
    SMALL = "small"


class SpecialDeductionRates(_Doc):
    """Special additional deductions (专项附加扣除), per month."""

    child_education_per_child: Amount
    infant_care_per_child: Amount
    elderly_support_only_child: Amount
    elderly_support_share_max: Amount
    housing_loan_interest: Amount
    housing_rent: dict[CitySize, Amount]
    continuing_education: Amount

    @model_validator(mode="after")
    def _complete(self) -> SpecialDeductionRates:
        if set(self.housing_rent) != set(CitySize):
            raise ValueError("special_deductions.housing_rent needs large, medium and small")
        return self


class PayPolicy(_Doc):
    id: str = Field(pattern=SLUG)
    version: int = Field(ge=1)
    name: str = Field(min_length=1)
    effective_from: date
    source: str = Field(min_length=1)
    scales: list[Scale] = Field(min_length=1)
    split: Split
    certificate_allowance: dict[Qualification, Amount]
    annual_bonus: AnnualBonus
    contributions: Contributions
    income_tax: IncomeTax
    special_deductions: SpecialDeductionRates

    @model_validator(mode="after")
    def _consistent(self) -> PayPolicy:
        # Pay is monthly: a version starting on the 1st governs whole periods, never half of one.
        if self.effective_from.day != 1:
            raise ValueError(f"effective_from {self.effective_from} is not the first of a month")
        ladders = [s.ladder for s in self.scales]
        if len(set(ladders)) != len(ladders):
            raise ValueError(f"one scale per ladder: {ladders}")
        return self

    def scale(self, ladder: str) -> Scale:
        for s in self.scales:
            if s.ladder == ladder:
                return s
        raise UnknownGrade(
            f"pay policy {self.id} v{self.version} has no scale for ladder {ladder!r}"
        )

    def allowance(self, qualification: Qualification) -> Decimal:
        return self.certificate_allowance.get(qualification, Decimal("0.00"))


class PolicyBook(_Doc):
    """Every version of one pay policy id, oldest first."""

    versions: list[PayPolicy] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> PolicyBook:
        ids = {v.id for v in self.versions}
        if len(ids) != 1:
            raise ValueError(f"a policy book holds one policy id, not {sorted(ids)}")
        check_ordered(self.versions)
        return self

    @property
    def id(self) -> str:
        return self.versions[0].id

    def in_force(self, on: date) -> PayPolicy:
        return in_force(self.versions, on, f"version of pay policy {self.id} is")

    def for_period(self, year: int, month: int) -> PayPolicy:
        """The version governing a whole pay period: the one in force on its first day."""
        return self.in_force(date(year, month, 1))


def parse_policy_book(text: str) -> PolicyBook:
    return PolicyBook.model_validate(yaml.safe_load(text))


def load_policy_book(path: Path) -> PolicyBook:
    return parse_policy_book(path.read_text(encoding="utf-8"))


@functools.cache
def shipped_pay_policies() -> dict[str, PolicyBook]:
    """The books shipped with the service (YAML files in POLICIES_DIR), by policy id."""
    return shipped_books(POLICIES_DIR, load_policy_book, lambda book: book.id)
