from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from roster.models import Worker
from roster.rules.retirement import retirement_of
from union_shared.identifiers import Phone, mask_phone
from union_shared.inputs import IsoDate
from union_shared.resident_id import Sex, parse_resident_id
from union_shared.vocabulary import Education, Qualification

# The two original ages of the 2024 reform's tables for women (men have one, 60).
FemaleRetirementAge = Literal[55, 50]


class WorkerCreate(BaseModel):
    """The facts needed to put a person on the register (a registration, a hire or an import
    row)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    resident_id: str = Field(max_length=40, description="18-character GB 11643 resident ID number.")
    phone: Phone | None = Field(default=None, description="A mainland mobile or landline.")
    education: Education
    major: str | None = Field(default=None, max_length=100)
    qualification: Qualification = Qualification.NONE
    unit_id: str = Field(min_length=1, max_length=36)
    hire_date: IsoDate
    seniority_start: IsoDate | None = Field(
        default=None, description="Defaults to the hire date; earlier to credit prior service."
    )
    female_retirement_age: FemaleRetirementAge | None = Field(
        default=None,
        description=(
            "Women only: the original statutory retirement age of her post, 55 (the default "
            "for these posts) or 50. Left out for men, whose original age is 60."
        ),
    )


class WorkerUpdate(BaseModel):
    phone: Phone | None = Field(default=None, description="A mainland mobile or landline.")
    education: Education | None = None
    major: str | None = Field(default=None, max_length=100)
    qualification: Qualification | None = None
    social_insurance_registered_on: IsoDate | None = None
    female_retirement_age: FemaleRetirementAge | None = Field(
        default=None,
        description="Women only: the original retirement age of her post, 55 or 50.",
    )
    reason: str = Field(min_length=1, max_length=500, description="Why, for the audit trail.")


class StatutoryRetirementRead(BaseModel):
    """When the worker reaches the statutory retirement age (the 2024 reform's tables)."""

    age_years: int
    age_months: int
    original_age: int = Field(description="60 for men; 55 or 50 for women, by post.")
    on: IsoDate | None = Field(
        description=(
            "The day the age is reached. Null where the resident ID is masked: it would give "
            "the birth date."
        )
    )


class WorkerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    resident_id: str = Field(description="Masked unless the caller may see identifiers.")
    birth_date: IsoDate | None = Field(
        description="Null where the resident ID is masked: the date would complete the number."
    )
    birth_year: int
    sex: Sex
    phone: str | None
    education: Education
    major: str | None
    qualification: Qualification
    unit_id: str
    hire_date: IsoDate
    seniority_start: IsoDate
    status: str
    left_on: IsoDate | None
    social_insurance_registered_on: IsoDate | None
    origin: str
    female_retirement_age: FemaleRetirementAge | None = Field(
        description="Women: the original retirement age of her post (55 or 50); null for men."
    )
    statutory_retirement: StatutoryRetirementRead

    @classmethod
    def of(cls, worker: Worker, *, reveal: bool) -> WorkerRead:
        derived = {"birth_year", "statutory_retirement"}
        retirement = retirement_of(worker.birth_date, worker.sex, worker.female_retirement_age)
        read = cls.model_validate(
            {
                **{name: getattr(worker, name) for name in cls.model_fields if name not in derived},
                "birth_year": worker.birth_date.year,
                "statutory_retirement": {
                    "age_years": retirement.age_years,
                    "age_months": retirement.age_months,
                    "original_age": retirement.original_age,
                    "on": retirement.on,
                },
            }
        )
        if not reveal:
            read.resident_id = parse_resident_id(worker.resident_id).masked
            read.phone = mask_phone(worker.phone)
            read.birth_date = None
            read.statutory_retirement.on = None
        return read


class WorkerRegistered(WorkerRead):
    warnings: list[str] = Field(
        description=(
            "Advice that did not stop the registration, e.g. a hire at or past the statutory "
            "retirement age."
        )
    )


class WorkerPage(BaseModel):
    items: list[WorkerRead]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


class EmploymentRead(BaseModel):
    """One spell of employment; a worker re-hired after leaving has one per hire."""

    model_config = ConfigDict(from_attributes=True)

    episode: int
    unit_id: str = Field(description="The unit hired into (later transfers are in `history`).")
    hire_date: IsoDate
    left_on: IsoDate | None = Field(description="The last day worked; null while it lasts.")
    seniority_start: IsoDate = Field(description="Seniority (工龄) counted from, as of this hire.")
    earlier_service_counted: bool = Field(
        description="Whether service before this episode counts towards seniority (roster rule)."
    )
    origin: str


class HistoryEntry(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    effective_date: IsoDate
    reason: str | None
    details: dict[str, Any]
    recorded_by: str
    recorded_at: datetime


class AuditEntry(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor: str
    actor_role: str
    action: str
    entity: str
    entity_id: str
    reason: str | None
    changes: dict[str, Any]
