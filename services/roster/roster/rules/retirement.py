"""Statutory retirement ages by birth month, read from shipped data (retirement_ages.yaml).

The 2024 reform (NPC Standing Committee decision of 2024-09-13, in force 2025-01-01) gives the
age by birth month in three annexed tables, one per scheme: men from 60, women from 55, women
from 50. They are copied as data, never computed here; loading checks that each scheme's rows
cover every birth month once, in order, starting from the scheme's original age, and that each
row's retirement months are its birth months plus its age, so a mistyped row cannot load.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, Field, field_validator, model_validator

from union_shared.resident_id import Sex
from union_shared.versioned import check_ordered, in_force

TABLE_FILE = Path(__file__).with_name("retirement_ages.yaml")

# The original age of a woman's post: 55 for these posts (cadre-like social work posts) unless
# HR records 50, the original age of worker posts.
FEMALE_ORIGINAL_AGES = (55, 50)
DEFAULT_FEMALE_ORIGINAL_AGE = 55


class RetirementScheme(StrEnum):
    MALE_60 = "male_60"
    FEMALE_55 = "female_55"
    FEMALE_50 = "female_50"


ORIGINAL_AGE = {
    RetirementScheme.MALE_60: 60,
    RetirementScheme.FEMALE_55: 55,
    RetirementScheme.FEMALE_50: 50,
}


def scheme_for(sex: Sex | str, female_retirement_age: int | None) -> RetirementScheme:
    """Men have one scheme; a woman's follows the original age of her post (default 55)."""
    if Sex(sex) is Sex.MALE:
        return RetirementScheme.MALE_60
    age = female_retirement_age or DEFAULT_FEMALE_ORIGINAL_AGE
    return RetirementScheme.FEMALE_50 if age == 50 else RetirementScheme.FEMALE_55


_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _month(text: Any) -> int | None:
    """YYYY-MM as a month number (year * 12 + month - 1); None for an open end."""
    if text is None:
        return None
    found = _MONTH.match(str(text))
    if found is None:
        raise ValueError(f"{text!r} is not a month written YYYY-MM")
    return int(found[1]) * 12 + int(found[2]) - 1


def _label(month: int | None) -> str:
    return "~" if month is None else f"{month // 12:04d}-{month % 12 + 1:02d}"


class AgeRow(BaseModel):
    """One row of an annex: births in [born_from, born_to] retire at years + months."""

    born_from: int | None
    born_to: int | None
    years: int = Field(ge=16, le=80)
    months: int = Field(ge=0, le=11)
    retires_from: int | None
    retires_to: int | None

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, value: Any) -> Any:
        if not isinstance(value, list) or len(value) != 6:
            raise ValueError("a row is [born from, born to, years, months, retires from, to]")
        born_from, born_to, years, months, retires_from, retires_to = value
        return {
            "born_from": _month(born_from),
            "born_to": _month(born_to),
            "years": years,
            "months": months,
            "retires_from": _month(retires_from),
            "retires_to": _month(retires_to),
        }

    @property
    def age_in_months(self) -> int:
        return self.years * 12 + self.months

    def check(self) -> None:
        """The annex's retirement months are the birth months plus the age."""
        for born, retires in ((self.born_from, self.retires_from), (self.born_to, self.retires_to)):
            expected = None if born is None else born + self.age_in_months
            if retires != expected:
                raise ValueError(
                    f"born {_label(born)} at {self.years}y{self.months}m retires "
                    f"{_label(expected)}, not {_label(retires)}"
                )


def _check_scheme(scheme: RetirementScheme, rows: list[AgeRow]) -> None:
    if rows[0].born_from is not None or rows[-1].born_to is not None:
        raise ValueError(f"{scheme}: the first and last rows must be open-ended")
    if rows[0].age_in_months != ORIGINAL_AGE[scheme] * 12:
        raise ValueError(f"{scheme}: the oldest births retire at the original age")
    for row in rows:
        row.check()
    for before, after in itertools.pairwise(rows):
        if before.born_to is None or after.born_from != before.born_to + 1:
            raise ValueError(f"{scheme}: rows must follow each other month by month")
        if after.age_in_months < before.age_in_months:
            raise ValueError(f"{scheme}: the age never falls for later births")


class RetirementTable(BaseModel):
    version: int = Field(ge=1)
    effective_from: date
    source: str
    schemes: dict[RetirementScheme, list[AgeRow]]

    @field_validator("schemes")
    @classmethod
    def _every_scheme(
        cls, schemes: dict[RetirementScheme, list[AgeRow]]
    ) -> dict[RetirementScheme, list[AgeRow]]:
        for scheme in RetirementScheme:
            if not schemes.get(scheme):
                raise ValueError(f"{scheme}: no rows")
            _check_scheme(scheme, schemes[scheme])
        return schemes

    def row_for(self, scheme: RetirementScheme, birth_date: date) -> AgeRow:
        born = birth_date.year * 12 + birth_date.month - 1
        for row in self.schemes[scheme]:
            if row.born_to is None or born <= row.born_to:
                return row
        raise AssertionError("the last row is open-ended")  # checked on load


class RetirementBook(BaseModel):
    versions: list[RetirementTable] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> RetirementBook:
        check_ordered(self.versions, "retirement table")
        return self

    def in_force(self, on: date) -> RetirementTable:
        return in_force(self.versions, on, "retirement table")


@dataclass(frozen=True)
class StatutoryRetirement:
    """When a worker reaches the statutory retirement age under a table."""

    scheme: RetirementScheme
    age_years: int
    age_months: int
    on: date  # the day the age is reached: the birthday that many years and months on
    table_version: int

    @property
    def original_age(self) -> int:
        return ORIGINAL_AGE[self.scheme]

    @property
    def age(self) -> str:
        return f"{self.age_years}y{self.age_months}m" if self.age_months else f"{self.age_years}y"


def statutory_retirement(
    table: RetirementTable, birth_date: date, scheme: RetirementScheme
) -> StatutoryRetirement:
    row = table.row_for(scheme, birth_date)
    # A birthday on the 29th-31st falls on the last day of a shorter month.
    on = birth_date + relativedelta(years=row.years, months=row.months)
    return StatutoryRetirement(scheme, row.years, row.months, on, table.version)


@functools.cache
def retirement_book() -> RetirementBook:
    return RetirementBook.model_validate(yaml.safe_load(TABLE_FILE.read_text()))


def retirement_of(
    birth_date: date, sex: Sex | str, female_retirement_age: int | None
) -> StatutoryRetirement:
    """The worker's statutory retirement under the table in force on the day the age is reached
    (the newest table whose effective date that day is not before)."""
    scheme = scheme_for(sex, female_retirement_age)
    versions = retirement_book().versions
    for table in reversed(versions):
        found = statutory_retirement(table, birth_date, scheme)
        if found.on >= table.effective_from:
            return found
    return statutory_retirement(versions[0], birth_date, scheme)


def female_original_age(sex: Sex | str, given: int | None) -> int | None:
    """What the register keeps: a woman's original age (55 unless given), nothing for a man."""
    return None if Sex(sex) is Sex.MALE else (given or DEFAULT_FEMALE_ORIGINAL_AGE)


def retirement_warning(
    birth_date: date, sex: Sex | str, female_retirement_age: int | None, hire_date: date
) -> str | None:
    """A warning, never a refusal: a hire on or after the day the statutory retirement age is
    reached (someone past it may still be engaged, but not as an ordinary employee)."""
    found = retirement_of(birth_date, sex, female_retirement_age)
    if hire_date < found.on:
        return None
    return (
        f"at or above the statutory retirement age on the hire date: {found.age} "
        f"(original age {found.original_age}), reached on {found.on}"
    )
