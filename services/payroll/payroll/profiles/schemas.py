from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from payroll.pay.compute import BonusTaxation
from payroll.pay.tax import SpecialDeductionClaim
from union_shared.inputs import IsoDate
from union_shared.money import Money, NonNegativeMoney, exact_decimal

HousingFundRate = exact_decimal(4, ge=0, le=1)
# A name as a bank file carries it: no control characters, and none of the separators the bank
# layouts use (comma, vertical bar) or a quote, which would split or break a record.
ACCOUNT_NAME = r'^[^\x00-\x1f\x7f,|"]+$'


class ProfileCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    effective_from: IsoDate = Field(description="The first day this profile governs.")
    contribution_base: NonNegativeMoney = Field(
        description=(
            "Last year's average monthly wage as declared; the policy's floor and ceiling are "
            "applied when pay is computed, not here."
        ),
    )
    housing_fund_rate: HousingFundRate | None = Field(
        default=None,
        description="Same rate both sides, as a decimal string within the policy's limits "
        "(Tianjin 2025: 0.05 to 0.12); null for the policy's default.",
        examples=["0.12"],
    )
    special_deductions: SpecialDeductionClaim = Field(
        default_factory=SpecialDeductionClaim,
        description="What the worker declared (专项附加扣除); amounts come from the policy.",
    )
    bonus_taxation: BonusTaxation = Field(
        default=BonusTaxation.SEPARATE,
        description=(
            "The worker's choice for the annual appraisal bonus: `separate` (单独计税, once a "
            "year, while the policy allows it) or `merged` with the month's wages."
        ),
    )
    bank_account: str = Field(pattern=r"^\d{8,30}$", description="Digits only.")
    account_name: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        pattern=ACCOUNT_NAME,
        description=(
            "The account holder's name (户名) exactly as the bank holds it: a bank's salary batch "
            "file names the payee and the bank refuses a name that does not match the account. "
            "Needed for the bank layouts that name payees (e.g. `icbc-payroll`)."
        ),
        examples=["张三"],
    )


class ProfileRead(BaseModel):
    effective_from: IsoDate
    contribution_base: Money
    housing_fund_rate: str | None
    special_deductions: SpecialDeductionClaim
    bonus_taxation: BonusTaxation
    bank_account: str = Field(description="Masked as ****1234 unless you are a payroll officer.")
    account_name: str | None = Field(description="The account holder's name (户名), if given.")
    recorded_by: str
    recorded_at: datetime


class SpanRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    policy_id: str = Field(description="The grading ladder, e.g. tianjin-3p18l.")
    post: str
    level: int
    start: IsoDate
    end: IsoDate | None
    cause_event_id: str


class ArrearsRead(BaseModel):
    for_period: str
    pay_in_period: str | None
    amount: Money
    cause_event_id: str
    explanation: str


class EmploymentRead(BaseModel):
    episode: int = Field(description="1 for the first hire, 2 for the first re-hire, and so on.")
    hire_date: IsoDate
    left_on: IsoDate | None = Field(description="The last day worked; null while it lasts.")


class PayProfileRead(BaseModel):
    worker_id: str
    unit_id: str
    hire_date: IsoDate = Field(description="The current employment episode's hire date.")
    left_on: IsoDate | None = Field(description="The current employment episode's last day.")
    employments: list[EmploymentRead] = Field(
        default_factory=list,
        description="Every employment episode, oldest first: nothing is paid between two.",
    )
    qualification: str
    spans: list[SpanRead] = Field(description="The grade spans in force, oldest first.")
    profile: ProfileRead | None = Field(description="The profile in force on `as_of`.")
    profiles: list[ProfileRead] = Field(description="Every profile, oldest first.")
    arrears: list[ArrearsRead] = Field(description="Arrears owed for closed months (补发).")
