from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from roster.identity.domain import Sex, mask_phone, parse_resident_id
from roster.models import Worker
from union_shared.identifiers import Phone
from union_shared.inputs import IsoDate
from union_shared.vocabulary import Education, Qualification


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


class WorkerUpdate(BaseModel):
    phone: Phone | None = Field(default=None, description="A mainland mobile or landline.")
    education: Education | None = None
    major: str | None = Field(default=None, max_length=100)
    qualification: Qualification | None = None
    social_insurance_registered_on: IsoDate | None = None
    reason: str = Field(min_length=1, max_length=500, description="Why, for the audit trail.")


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

    @classmethod
    def of(cls, worker: Worker, *, reveal: bool) -> WorkerRead:
        read = cls.model_validate(
            {
                **{
                    name: getattr(worker, name) for name in cls.model_fields if name != "birth_year"
                },
                "birth_year": worker.birth_date.year,
            }
        )
        if not reveal:
            read.resident_id = parse_resident_id(worker.resident_id).masked
            read.phone = mask_phone(worker.phone)
            read.birth_date = None
        return read


class WorkerPage(BaseModel):
    items: list[WorkerRead]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


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
