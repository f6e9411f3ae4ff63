from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from roster.compliance.domain import AlertKind
from roster.contracts.domain import ContractKind
from union_shared.inputs import IsoDate


class _AlertBase(BaseModel):
    worker_id: str
    worker_name: str
    unit_id: str = Field(description="The worker's unit on the as-of date.")
    due_on: IsoDate = Field(description="When the obligation fell due.")
    detail: str


class WrittenContractMissing(_AlertBase):
    kind: Literal[AlertKind.WRITTEN_CONTRACT_MISSING]
    deadline: IsoDate = Field(description="Last day to sign without penalty (art. 10).")
    double_wage_months: int = Field(description="Months of double wages owed so far (art. 82).")
    deemed_open_ended: bool = Field(description="A full year without one (art. 14).")


class OpenEndedContractDue(_AlertBase):
    kind: Literal[AlertKind.OPEN_ENDED_CONTRACT_DUE]
    contract_in_force: ContractKind | None = Field(
        description="The kind of contract in force on the as-of date, if any."
    )


class AppraisalMissing(_AlertBase):
    kind: Literal[AlertKind.APPRAISAL_MISSING]
    year: int


class RetirementDue(_AlertBase):
    kind: Literal[AlertKind.RETIREMENT_DUE]
    age_years: int = Field(
        description="Whole years of the statutory retirement age (the table for the birth month)."
    )
    age_months: int = Field(description="Months of that age beyond the whole years.")
    original_age: int = Field(description="60 for men; 55 or 50 for women, by post.")


class OtherAlert(_AlertBase):
    kind: Literal[
        AlertKind.SOCIAL_INSURANCE_REGISTRATION_OVERDUE,
        AlertKind.PRE_JOB_TRAINING_MISSING,
        AlertKind.ROTATION_TRAINING_OVERDUE,
    ]


AlertRead = Annotated[
    WrittenContractMissing | OpenEndedContractDue | AppraisalMissing | RetirementDue | OtherAlert,
    Field(discriminator="kind"),
]


class ComplianceView(BaseModel):
    unit_id: str | None = Field(
        description="Root of the subtree looked at; null for the whole register."
    )
    as_of: IsoDate
    rules_version: int
    counts: dict[AlertKind, int] = Field(description="Open alerts by kind, every kind listed.")
    alerts: list[AlertRead] = Field(description="Sorted by kind, then due date.")
