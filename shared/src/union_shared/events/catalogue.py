"""Every event the platform sends, version 1: what each consumer needs, ids not whole objects.

Topics are per producing service, keyed by the aggregate id, so every event about one worker
from one service lands on one partition in order (WorkerTransferred before WorkerLeft).
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from union_shared.events.registry import event
from union_shared.money import Money

# The domain's words, which events carry; they live in domain code (union_shared.vocabulary).
from union_shared.vocabulary import Education, GradeChangeCause, Qualification, Rating

RECRUITMENT_TOPIC = "recruitment.events"
ROSTER_TOPIC = "roster.events"
GRADING_TOPIC = "grading.events"
PAYROLL_TOPIC = "payroll.events"


class Payload(BaseModel):
    # Unknown fields are tolerated so an additive change keeps the schema version.
    model_config = ConfigDict(extra="ignore", frozen=True)


@event("ApplicantHired", version=1, topic=RECRUITMENT_TOPIC)
class ApplicantHired(Payload):
    """A recruitment campaign hired an applicant; the roster creates the worker from this."""

    application_id: str
    campaign_id: str
    posting_id: str
    unit_id: str = Field(description="The unit the new worker is posted to.")
    name: str
    resident_id: str = Field(description="18-character GB 11643 resident ID number.")
    phone: str | None = None
    education: Education
    major: str | None = None
    qualification: Qualification = Qualification.NONE
    start_date: date = Field(description="First day of work.")
    credited_service_years: int = Field(
        default=0, ge=0, description="Prior relevant service credited toward seniority."
    )


# The unit tree is one aggregate: every change to it carries this subject (the Kafka key), so
# creations, renames, moves and closures reach grading and payroll in the order they happened.
UNIT_TREE_SUBJECT = "unit-tree"
_PATH = "Unit ids from the root down, '/'-separated, with leading and trailing '/'."


@event("UnitCreated", version=1, topic=ROSTER_TOPIC)
class UnitCreated(Payload):
    """A unit joined the tree (under its parent, or as a root)."""

    unit_id: str
    parent_id: str | None = None
    path: str = Field(description=_PATH)
    name: str
    kind: str = Field(description="city_federation, district_federation, township_federation ...")


@event("UnitRenamed", version=1, topic=ROSTER_TOPIC)
class UnitRenamed(Payload):
    """A unit's name changed; its place in the tree did not."""

    unit_id: str
    path: str = Field(description=_PATH)
    name: str


@event("UnitMoved", version=1, topic=ROSTER_TOPIC)
class UnitMoved(Payload):
    """A unit moved under another parent, its whole subtree with it: every stored path that
    starts with `from_path` now starts with `to_path` instead."""

    unit_id: str
    from_parent_id: str | None = None
    to_parent_id: str
    from_path: str = Field(description=_PATH)
    to_path: str = Field(description=_PATH)


@event("UnitClosed", version=1, topic=ROSTER_TOPIC)
class UnitClosed(Payload):
    """A unit closed (it had no open units and no workers left)."""

    unit_id: str
    path: str = Field(description=_PATH)
    closed_on: date


@event("WorkerOnboarded", version=1, topic=ROSTER_TOPIC)
class WorkerOnboarded(Payload):
    """A worker entered the register (from a hire or a bulk import)."""

    worker_id: str
    unit_id: str
    unit_path: str | None = Field(
        default=None,
        description="Unit ids from the root down, '/'-separated (for subtree queries).",
    )
    hire_date: date
    seniority_start: date = Field(description="The date seniority (工龄) counts from.")
    education: Education
    qualification: Qualification = Qualification.NONE
    origin: str = Field(description="'recruitment' or 'import'.")
    application_id: str | None = None


@event("WorkerTransferred", version=1, topic=ROSTER_TOPIC)
class WorkerTransferred(Payload):
    """A worker moved to another unit from an effective date."""

    worker_id: str
    from_unit_id: str
    to_unit_id: str
    to_unit_path: str | None = Field(default=None, description="The new unit's path from the root.")
    effective_date: date
    reason: str


@event("WorkerLeft", version=1, topic=ROSTER_TOPIC)
class WorkerLeft(Payload):
    """A worker left; pay ends after the leaving date and the grade history closes."""

    worker_id: str
    unit_id: str
    left_on: date
    reason: str


@event("WorkerRehired", version=1, topic=ROSTER_TOPIC)
class WorkerRehired(Payload):
    """A worker who had left was hired again: a new employment episode with its own hire date.
    Nothing is owed between `previous_left_on` and `hire_date`."""

    worker_id: str
    unit_id: str
    unit_path: str | None = Field(
        default=None,
        description="Unit ids from the root down, '/'-separated (for subtree queries).",
    )
    episode: int = Field(ge=2, le=1000, description="2 for the first re-hire, and so on.")
    hire_date: date
    previous_left_on: date = Field(description="The last day worked in the episode before.")
    seniority_start: date = Field(
        description="The date seniority (工龄) counts from, moved forward by the gap when the "
        "roster rule counts earlier service, else the new hire date."
    )
    earlier_service_counted: bool
    education: Education
    qualification: Qualification = Qualification.NONE
    origin: str = Field(description="'recruitment', 'import' or 'registration'.")
    application_id: str | None = None


@event("AppraisalRecorded", version=1, topic=ROSTER_TOPIC)
class AppraisalRecorded(Payload):
    """An annual appraisal was recorded or corrected (a higher revision replaces a lower one)."""

    appraisal_id: str
    worker_id: str
    unit_id: str
    year: int = Field(ge=1900, le=2100)  # the hire year bounds it; a 1990 hire has 1990 on
    rating: Rating
    revision: int = Field(ge=1)
    score: str | None = Field(default=None, description="Optional appraisal score as a decimal.")
    recorded_by: str
    recorded_at: datetime


class GradeReason(Payload):
    rule: str = Field(description="Policy rule applied, e.g. 'seniority.step'.")
    detail: str


class AppraisalRef(Payload):
    year: int
    rating: Rating
    revision: int


class GradeSpan(Payload):
    post: str
    level: int
    start: date
    end: date | None = Field(description="Inclusive last day; null while the grade lasts.")


@event("GradeReevaluated", version=1, topic=GRADING_TOPIC)
class GradeReevaluated(Payload):
    """A worker's grade was evaluated again; sent on every evaluation, changed or not."""

    worker_id: str
    unit_id: str
    policy_id: str
    policy_version: int
    cause: GradeChangeCause
    appraisal: AppraisalRef | None = None
    old_post: str | None
    old_level: int | None
    new_post: str
    new_level: int
    changed: bool
    effective_date: date
    reasons: list[GradeReason]
    timeline: list[GradeSpan] = Field(
        default_factory=list,
        description=(
            "The grade from effective_date on, interval by interval, so payroll can pay each "
            "past month at the grade it really had (a correction can change several)."
        ),
    )


class MonthNotOwed(Payload):
    period: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    reason: str


@event("PayrollAdjusted", version=1, topic=PAYROLL_TOPIC)
class PayrollAdjusted(Payload):
    """A worker's pay changed from an effective date, with arrears for closed periods."""

    worker_id: str
    effective_date: date
    old_monthly_gross: Money
    new_monthly_gross: Money
    arrears: Money = Field(description="Back pay owed for closed periods (补发).")
    arrears_period: str | None = Field(
        default=None, description="The open period (YYYY-MM) that pays the arrears."
    )
    annual_bonus: Money | None = None
    cause_event_id: str = Field(description="The GradeReevaluated event that caused this.")
    months_not_owed: list[MonthNotOwed] = Field(
        default_factory=list,
        description=(
            "Closed months the change reaches that owe no arrears because nothing says what was "
            "paid: before the unit's go-live with no pay declared, or paid by no locked run."
        ),
    )
    arrears_note: str | None = Field(default=None, description="Those months, said in words.")


@event("PayrollRunClosed", version=1, topic=PAYROLL_TOPIC)
class PayrollRunClosed(Payload):
    """A monthly payroll run was approved and locked."""

    run_id: str
    period: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    unit_id: str
    payslip_count: int = Field(ge=0)
    gross_total: Money
    net_total: Money
    employer_cost_total: Money
    approved_by: str
    closed_at: datetime
