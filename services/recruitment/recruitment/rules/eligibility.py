"""Automatic eligibility screening (DOMAIN.md, "Recruitment", stage "eligibility screening":
automatic rules, then review). A posting states its requirements (education, major, age limit,
residence, experience, qualification); `screen` lists every one an applicant fails, each with
a reason, because every rejection carries a reason. A reviewer sees the failures; this module
decides nothing beyond them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from union_shared.inputs import IsoDate
from union_shared.vocabulary import Education, Qualification

# Lowest first. Written out rather than taken from the enum's declaration order, so that adding
# a member to the enum cannot silently change who passes.
EDUCATION_ORDER: tuple[Education, ...] = (
    Education.BELOW_BACHELOR,
    Education.BACHELOR,
    Education.MASTER,
    Education.DOCTORATE,
)
# The national social work qualification levels (社会工作者职业资格), lowest first.
QUALIFICATION_ORDER: tuple[Qualification, ...] = (
    Qualification.NONE,
    Qualification.ASSISTANT,
    Qualification.SOCIAL_WORKER,
    Qualification.SENIOR,
)


class Rule(StrEnum):
    """Machine-readable codes of the screening rules, one per kind of requirement."""

    EDUCATION = "education"
    MAJOR = "major"
    AGE = "age"
    RESIDENCE = "residence"
    EXPERIENCE = "experience"
    QUALIFICATION = "qualification"


class Requirements(BaseModel):
    """What a posting asks of an applicant. Every default admits everyone."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_education: Education = Education.BELOW_BACHELOR
    # Empty: any major. Otherwise the applicant needs one of these, compared as written after
    # trimming spaces (the catalogue of majors is the announcement's, not ours to normalise).
    majors: tuple[Annotated[str, Field(min_length=1, max_length=100)], ...] = Field(
        default=(), max_length=50
    )
    # "35周岁以下": at most this age in whole years on `age_as_of`, which the announcement fixes
    # (usually the first day of the application window), so a result never depends on the clock.
    max_age: int | None = Field(default=None, ge=16, le=70)
    age_as_of: IsoDate | None = None
    residence_regions: tuple[str, ...] = Field(default=(), max_length=50)
    min_years_experience: int = Field(default=0, ge=0, le=50)
    # The least qualification asked for; None asks for none.
    qualification: Qualification | None = None

    @model_validator(mode="after")
    def _sane(self) -> Requirements:
        if self.max_age is not None and self.age_as_of is None:
            raise ValueError("an age limit needs the date the age is taken on (age_as_of)")
        for prefix in self.residence_regions:
            if not _is_region_prefix(prefix):
                raise ValueError(f"{prefix!r} is not a 2-, 4- or 6-digit region code prefix")
        return self


@dataclass(frozen=True)
class ApplicantFacts:
    """What the application states (and review confirms) about the applicant."""

    birth_date: date
    education: Education
    majors: tuple[str, ...] = ()
    residence_region: str = ""  # 6-digit region code of the household registration (户籍)
    years_experience: int = 0
    qualification: Qualification = Qualification.NONE


@dataclass(frozen=True)
class Failure:
    rule: Rule
    message: str


def age_on(birth_date: date, as_of: date) -> int:
    """Age in whole years (周岁): one year older on the birthday itself, so born 1991-03-01 is
    35 on 2026-03-01 and 34 on 2026-02-28. Born on 29 February: in a common year the birthday
    has not come until 1 March, since 28 February is still before it in the calendar."""
    if as_of < birth_date:
        raise ValueError(f"{as_of} is before the birth date {birth_date}")
    before_birthday = (as_of.month, as_of.day) < (birth_date.month, birth_date.day)
    return as_of.year - birth_date.year - int(before_birthday)


def screen(requirements: Requirements, facts: ApplicantFacts) -> list[Failure]:
    """Every requirement the applicant fails, in the order the announcement lists them; an
    empty list means the automatic screen passes."""
    checks = (_education, _major, _age, _residence, _experience, _qualification)
    return [failure for check in checks if (failure := check(requirements, facts)) is not None]


def _education(req: Requirements, facts: ApplicantFacts) -> Failure | None:
    if EDUCATION_ORDER.index(facts.education) >= EDUCATION_ORDER.index(req.min_education):
        return None
    return Failure(
        Rule.EDUCATION,
        f"The posting requires at least {req.min_education.value}; "
        f"the applicant's education is {facts.education.value}.",
    )


def _major(req: Requirements, facts: ApplicantFacts) -> Failure | None:
    wanted = {major.strip() for major in req.majors}
    if not wanted or wanted & {major.strip() for major in facts.majors}:
        return None
    held = ", ".join(facts.majors) or "none stated"
    return Failure(
        Rule.MAJOR,
        f"The posting requires one of the majors {', '.join(req.majors)}; "
        f"the applicant's majors are {held}.",
    )


def _age(req: Requirements, facts: ApplicantFacts) -> Failure | None:
    if req.max_age is None or req.age_as_of is None:
        return None
    age = age_on(facts.birth_date, req.age_as_of)
    if age <= req.max_age:
        return None
    return Failure(
        Rule.AGE,
        # The age, never the birth date: readers who see the resident ID masked read this too.
        f"The posting admits applicants aged at most {req.max_age} on {req.age_as_of}; "
        f"the applicant is {age} on that day.",
    )


def _residence(req: Requirements, facts: ApplicantFacts) -> Failure | None:
    if not req.residence_regions or facts.residence_region.startswith(req.residence_regions):
        return None
    region = facts.residence_region or "not stated"
    return Failure(
        Rule.RESIDENCE,
        f"The posting requires residence in region {', '.join(req.residence_regions)}; "
        f"the applicant's region is {region}.",
    )


def _experience(req: Requirements, facts: ApplicantFacts) -> Failure | None:
    if facts.years_experience >= req.min_years_experience:
        return None
    return Failure(
        Rule.EXPERIENCE,
        f"The posting requires at least {req.min_years_experience} years of experience; "
        f"the applicant has {facts.years_experience}.",
    )


def _qualification(req: Requirements, facts: ApplicantFacts) -> Failure | None:
    if req.qualification is None:
        return None
    held = QUALIFICATION_ORDER.index(facts.qualification)
    if held >= QUALIFICATION_ORDER.index(req.qualification):
        return None
    return Failure(
        Rule.QUALIFICATION,
        f"The posting requires the qualification {req.qualification.value} or higher; "
        f"the applicant holds {facts.qualification.value}.",
    )


def _is_region_prefix(prefix: str) -> bool:
    # A province (2 digits), a city (4) or a county (6) of the GB/T 2260 region codes.
    # str.isdigit accepts other scripts' digits; region codes are ASCII.
    return prefix.isascii() and prefix.isdigit() and len(prefix) in (2, 4, 6)
