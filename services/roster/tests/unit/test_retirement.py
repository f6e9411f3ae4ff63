"""The statutory retirement table against rows copied by hand from the official annexes.

Expected values are the annex rows (《国务院关于渐进式延迟法定退休年龄的办法》 annexes 1-3): birth
month → new age and retirement month. The day is the birthday in that month.
"""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from pydantic import ValidationError

from roster.rules.retirement import (
    TABLE_FILE,
    RetirementBook,
    RetirementScheme,
    female_original_age,
    retirement_book,
    retirement_of,
    retirement_warning,
    scheme_for,
    statutory_retirement,
)
from union_shared.resident_id import Sex

MALE, F55, F50 = RetirementScheme.MALE_60, RetirementScheme.FEMALE_55, RetirementScheme.FEMALE_50
REFORM = date(2025, 1, 1)

# (scheme, born, age years, age months, retirement month as (year, month)) from the annexes.
ANNEX_ROWS = [
    (MALE, date(1964, 12, 10), 60, 0, (2024, 12)),  # before the reform's first birth month
    (MALE, date(1965, 1, 10), 60, 1, (2025, 2)),  # annex 1: 1965-01..04, 60y1m, 2025-02..05
    (MALE, date(1965, 4, 10), 60, 1, (2025, 5)),
    (MALE, date(1965, 5, 10), 60, 2, (2025, 7)),  # 1965-05..08, 60y2m, 2025-07..10
    (MALE, date(1968, 9, 10), 61, 0, (2029, 9)),  # 1968-09..12, 61y, 2029-09..12
    (MALE, date(1976, 9, 10), 63, 0, (2039, 9)),  # 1976-09..12, 63y, 2039-09..12
    (MALE, date(1990, 3, 10), 63, 0, (2053, 3)),  # later births stay at 63
    (F55, date(1969, 12, 10), 55, 0, (2024, 12)),
    (F55, date(1970, 1, 10), 55, 1, (2025, 2)),  # annex 2: 1970-01..04, 55y1m, 2025-02..05
    (F55, date(1970, 5, 10), 55, 2, (2025, 7)),
    (F55, date(1981, 9, 10), 58, 0, (2039, 9)),  # 1981-09..12, 58y, 2039-09..12
    (F50, date(1974, 12, 10), 50, 0, (2024, 12)),
    (F50, date(1975, 1, 10), 50, 1, (2025, 2)),  # annex 3: 1975-01..02, 50y1m, 2025-02..03
    (F50, date(1975, 2, 10), 50, 1, (2025, 3)),
    (F50, date(1975, 3, 10), 50, 2, (2025, 5)),  # 1975-03..04, 50y2m, 2025-05..06
    (F50, date(1984, 11, 10), 55, 0, (2039, 11)),  # 1984-11..12, 55y, 2039-11..12
]


@pytest.mark.parametrize(("scheme", "born", "years", "months", "month"), ANNEX_ROWS)
def test_the_table_gives_the_annex_rows(scheme, born, years, months, month):
    found = statutory_retirement(retirement_book().in_force(REFORM), born, scheme)
    assert (found.age_years, found.age_months) == (years, months)
    assert found.on == date(*month, 10)
    assert found.table_version == 2


def test_a_birthday_past_the_end_of_the_retirement_month_falls_on_its_last_day():
    table = retirement_book().in_force(REFORM)
    assert statutory_retirement(table, date(1965, 1, 31), MALE).on == date(2025, 2, 28)


def test_before_the_reform_the_original_ages_apply_to_every_birth():
    old = retirement_book().in_force(date(2024, 12, 31))
    assert old.version == 1
    assert statutory_retirement(old, date(1976, 9, 10), MALE).on == date(2036, 9, 10)
    assert statutory_retirement(old, date(1984, 11, 10), F50).on == date(2034, 11, 10)


def test_the_table_in_force_on_the_day_the_age_is_reached_applies():
    # Reached under the old law before 2025, under the reform table after it.
    assert retirement_of(date(1964, 12, 31), Sex.MALE, None).on == date(2024, 12, 31)
    assert retirement_of(date(1964, 12, 31), Sex.MALE, None).table_version == 1
    assert retirement_of(date(1965, 1, 1), Sex.MALE, None).on == date(2025, 2, 1)
    assert retirement_of(date(1965, 1, 1), Sex.MALE, None).table_version == 2
    # Before the first table: its ages still apply.
    assert retirement_of(date(1910, 5, 3), Sex.MALE, None).on == date(1970, 5, 3)


def test_the_scheme_comes_from_sex_and_the_original_age_of_a_womans_post():
    assert scheme_for(Sex.MALE, None) is MALE
    assert scheme_for(Sex.FEMALE, None) is F55  # the default for these posts
    assert scheme_for(Sex.FEMALE, 55) is F55
    assert scheme_for("female", 50) is F50
    found = retirement_of(date(1975, 3, 10), "female", 50)
    assert (found.age, found.original_age, found.on) == ("50y2m", 50, date(2025, 5, 10))


def _shipped() -> dict:
    return yaml.safe_load(TABLE_FILE.read_text())


def test_a_mistyped_retirement_month_does_not_load():
    data = _shipped()
    data["versions"][1]["schemes"]["male_60"][1][5] = "2025-06"  # should be 2025-05
    with pytest.raises(ValidationError, match="retires 2025-05, not 2025-06"):
        RetirementBook.model_validate(data)


def test_a_gap_between_rows_does_not_load():
    data = _shipped()
    del data["versions"][1]["schemes"]["female_50"][3]
    with pytest.raises(ValidationError, match="month by month"):
        RetirementBook.model_validate(data)


def test_a_missing_scheme_does_not_load():
    data = _shipped()
    del data["versions"][1]["schemes"]["female_55"]
    with pytest.raises(ValidationError, match="female_55: no rows"):
        RetirementBook.model_validate(data)


def test_a_hire_on_or_after_the_day_the_age_is_reached_is_warned():
    # Man born 1965-05-10: 60y2m on 2025-07-10 (annex 1).
    assert retirement_warning(date(1965, 5, 10), "male", None, date(2025, 7, 9)) is None
    warning = retirement_warning(date(1965, 5, 10), "male", None, date(2025, 7, 10))
    assert warning == (
        "at or above the statutory retirement age on the hire date: 60y2m (original age 60), "
        "reached on 2025-07-10"
    )
    # Woman born 1975-03-10 at 50: 50y2m on 2025-05-10. At 55 (annex 2, 1975-01..04): 56y4m,
    # so 2031-07-10.
    assert retirement_warning(date(1975, 3, 10), "female", 50, date(2026, 1, 1)) is not None
    assert retirement_warning(date(1975, 3, 10), "female", 55, date(2031, 7, 9)) is None
    assert retirement_warning(date(1975, 3, 10), "female", 55, date(2031, 7, 10)) is not None


def test_the_register_keeps_an_original_age_for_women_only():
    assert female_original_age("male", None) is None
    assert female_original_age("female", None) == 55
    assert female_original_age("female", 50) == 50
