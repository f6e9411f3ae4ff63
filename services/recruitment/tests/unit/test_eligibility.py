"""Automatic screening: each requirement by hand, ages on and around birthdays."""

from datetime import date

import pytest
from pydantic import ValidationError

from recruitment.rules.eligibility import (
    ApplicantFacts,
    Requirements,
    Rule,
    age_on,
    screen,
)
from union_shared.vocabulary import Education, Qualification

APPLICANT = ApplicantFacts(
    birth_date=date(1991, 3, 1),
    education=Education.BACHELOR,
    majors=("社会工作",),
    residence_region="120104",
    years_experience=2,
    qualification=Qualification.ASSISTANT,
)


def rules_failed(requirements: Requirements, facts: ApplicantFacts = APPLICANT) -> list[str]:
    return [failure.rule for failure in screen(requirements, facts)]


def test_age_turns_on_the_birthday():
    assert age_on(date(1991, 3, 1), date(2026, 3, 1)) == 35
    assert age_on(date(1991, 3, 1), date(2026, 2, 28)) == 34
    assert age_on(date(1991, 3, 1), date(1991, 3, 1)) == 0


def test_a_29_february_birthday_comes_on_1_march_in_a_common_year():
    assert age_on(date(2000, 2, 29), date(2026, 2, 28)) == 25
    assert age_on(date(2000, 2, 29), date(2026, 3, 1)) == 26
    assert age_on(date(2000, 2, 29), date(2028, 2, 28)) == 27
    assert age_on(date(2000, 2, 29), date(2028, 2, 29)) == 28


def test_age_before_birth_is_refused():
    with pytest.raises(ValueError):
        age_on(date(2000, 1, 2), date(2000, 1, 1))


def test_default_requirements_admit_everyone():
    assert screen(Requirements(), APPLICANT) == []


def test_age_limit_35_on_the_36th_birthday_fails_and_the_day_before_passes():
    limit = Requirements(max_age=34, age_as_of=date(2026, 2, 28))
    assert rules_failed(limit) == []
    [failure] = screen(Requirements(max_age=34, age_as_of=date(2026, 3, 1)), APPLICANT)
    assert failure.rule == Rule.AGE
    assert "at most 34" in failure.message
    # The age, not the birth date: readers who see the resident ID masked read this too.
    assert "1991-03-01" not in failure.message and "is 35" in failure.message


def test_an_age_limit_needs_its_date():
    with pytest.raises(ValidationError):
        Requirements(max_age=35)


def test_education_is_ordered_below_bachelor_bachelor_master_doctorate():
    assert rules_failed(Requirements(min_education=Education.BACHELOR)) == []
    [failure] = screen(Requirements(min_education=Education.MASTER), APPLICANT)
    assert failure.rule == "education"
    assert "master" in failure.message and "bachelor" in failure.message
    doctor = ApplicantFacts(birth_date=date(1990, 1, 1), education=Education.DOCTORATE)
    assert rules_failed(Requirements(min_education=Education.MASTER), doctor) == []
    below = ApplicantFacts(birth_date=date(1990, 1, 1), education=Education.BELOW_BACHELOR)
    assert rules_failed(Requirements(min_education=Education.BACHELOR), below) == ["education"]


def test_major_must_be_one_of_the_list_and_an_empty_list_means_any():
    assert rules_failed(Requirements(majors=("心理学", " 社会工作 "))) == []
    [failure] = screen(Requirements(majors=("心理学", "法学")), APPLICANT)
    assert failure.rule == "major"
    assert "心理学, 法学" in failure.message and "社会工作" in failure.message


def test_residence_by_region_prefix():
    assert rules_failed(Requirements(residence_regions=("12",))) == []
    assert rules_failed(Requirements(residence_regions=("1201",))) == []
    assert rules_failed(Requirements(residence_regions=("31", "120104"))) == []
    [failure] = screen(Requirements(residence_regions=("1202", "31")), APPLICANT)
    assert failure.rule == "residence" and "120104" in failure.message


@pytest.mark.parametrize("prefix", ["1", "123", "1201041", "12a1", "１２"])
def test_a_region_prefix_is_2_4_or_6_ascii_digits(prefix):
    with pytest.raises(ValidationError):
        Requirements(residence_regions=(prefix,))


def test_experience_in_whole_years():
    assert rules_failed(Requirements(min_years_experience=2)) == []
    [failure] = screen(Requirements(min_years_experience=3), APPLICANT)
    assert failure.rule == "experience"
    assert "at least 3 years" in failure.message and "has 2" in failure.message


def test_qualification_is_ordered_and_higher_passes():
    assert rules_failed(Requirements(qualification=Qualification.ASSISTANT)) == []
    assert rules_failed(Requirements(qualification=Qualification.NONE)) == []
    [failure] = screen(Requirements(qualification=Qualification.SOCIAL_WORKER), APPLICANT)
    assert failure.rule == "qualification"
    assert "social_worker or higher" in failure.message
    assert "assistant_social_worker" in failure.message


def test_every_failure_is_listed_in_order():
    strict = Requirements(
        min_education=Education.MASTER,
        majors=("法学",),
        max_age=30,
        age_as_of=date(2026, 1, 1),
        residence_regions=("31",),
        min_years_experience=5,
        qualification=Qualification.SENIOR,
    )
    assert rules_failed(strict) == [
        "education",
        "major",
        "age",
        "residence",
        "experience",
        "qualification",
    ]


def test_requirements_take_dates_as_iso_strings_and_bounded_lists():
    from pydantic import ValidationError

    for bad in ({"max_age": 35, "age_as_of": 0}, {"majors": ["社会工作"] * 51},
                {"majors": ["x" * 101]}, {"residence_regions": ["12"] * 51}):  # fmt: skip
        with pytest.raises(ValidationError):
            Requirements.model_validate(bad)
    assert Requirements.model_validate({"max_age": 35, "age_as_of": "2026-03-09"}).max_age == 35
