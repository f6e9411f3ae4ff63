from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from recruitment.applications.domain import ApplicationStatus
from union_shared.vocabulary import Education, Qualification

# A name is stored trimmed, so it is checked trimmed: spaces alone are no name.
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class Document(BaseModel):
    """A document held elsewhere (the file store), by reference: recruitment keeps no files."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$", description="e.g. degree, id_card")
    ref: str = Field(min_length=1, max_length=500)


class ApplicationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    posting_id: str = Field(min_length=1, max_length=36)
    resident_id: str = Field(
        min_length=1, max_length=18, description="18 characters, GB 11643 check character."
    )
    name: Name
    phone: str = Field(pattern=r"^1[3-9]\d{9}$", description="A mainland mobile number.")
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    education: Education
    majors: list[str] = Field(default_factory=list, max_length=10)
    residence_region: str = Field(
        pattern=r"^\d{6}$", description="Household registration (户籍) region code, GB/T 2260."
    )
    years_experience: int = Field(default=0, ge=0, le=60)
    qualification: Qualification = Qualification.NONE
    documents: list[Document] = Field(default_factory=list, max_length=20)
    bonus_claims: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]] = Field(
        default_factory=list,
        max_length=10,
        description="Codes of the campaign's bonus items (加分) claimed; each is reviewed.",
    )

    def model_post_init(self, _context: object) -> None:
        for i, major in enumerate(self.majors):
            if not 1 <= len(major.strip()) <= 100:
                raise ValueError(f"majors.{i}: 1 to 100 characters")


class Failure(BaseModel):
    rule: str = Field(description="The requirement failed: education, major, age, residence, ...")
    message: str


class ClaimRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    review: str = Field(description="pending, granted or refused")
    reason: str | None


class Step(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    status_from: ApplicationStatus | None
    status_to: ApplicationStatus
    actor: str
    at: datetime
    reason: str | None


class ApplicationRead(BaseModel):
    """Identifiers as the caller may see them: whole for those who need them (administrators,
    unit HR, system clients), else the resident ID masked to its address code and last two
    characters, the phone to its first three and last four digits, and the birth year only."""

    id: str
    campaign_id: str
    posting_id: str
    resident_id: str
    name: str
    sex: str
    birth_date: date | None = Field(description="Shown whole only beside a whole resident ID.")
    birth_year: int
    phone: str
    email: str | None
    education: Education
    majors: list[str]
    residence_region: str
    years_experience: int
    qualification: Qualification
    documents: list[Document]
    status: ApplicationStatus
    screening: list[Failure]
    bonus_claims: list[ClaimRead]
    bonus_points: Decimal = Field(description="Granted bonus points (加分), capped.")
    composite: Decimal | None = Field(description="Once the posting is ranked.")
    rank: int | None = Field(description="In the posting; tied applicants share one.")
    run_off_needed: bool = Field(description="Tied after the chain: a run-off decides.")
    submitted_at: datetime
    timeline: list[Step]
