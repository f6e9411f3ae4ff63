from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from union_shared.money import Money

PERIOD = r"^(20\d{2}|2100)-(0[1-9]|1[0-2])$"  # the years a Period holds: 2000 to 2100


class RunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: str = Field(pattern=PERIOD, examples=["2026-03"], description="The month, YYYY-MM.")
    unit_id: str = Field(min_length=1, description="The root of the unit subtree to pay.")


class WorkerProblem(BaseModel):
    """A worker in scope whose pay cannot be computed yet, and why."""

    worker_id: str
    reason: str


class RunRead(BaseModel):
    id: str
    period: str
    unit_id: str
    status: Literal["draft", "reviewed", "locked", "discarded"]
    drafted_by: str
    drafted_at: datetime
    computed_at: datetime
    reviewed_by: str | None
    approved_by: str | None
    locked_at: datetime | None
    payslip_count: int
    gross_total: Money
    net_total: Money
    tax_total: Money
    employer_cost_total: Money
    problems: list[WorkerProblem] = Field(
        description="Workers in scope whose pay cannot be computed yet; approval waits for them."
    )


class DifferenceRead(BaseModel):
    worker_id: str
    previous_gross: Money | None
    gross: Money
    previous_net: Money | None
    net: Money


class AnomalyRead(BaseModel):
    kind: Literal["unpayable", "negative_net", "warning", "new", "large_change", "not_paid"]
    worker_id: str
    detail: str


class ReviewRead(BaseModel):
    run: RunRead
    previous_period: str
    previous_gross_total: Money = Field(description="Last month's locked payslips, same workers.")
    previous_net_total: Money
    difference_count: int
    differences: list[DifferenceRead] = Field(description="The largest moves first, up to limit.")
    anomaly_count: int
    anomalies: list[AnomalyRead] = Field(description="Up to limit.")


class PayLineRead(BaseModel):
    kind: str
    code: str
    label: str
    amount: Money
    explanation: str
    start: str | None = None
    end: str | None = None


class FunderPartRead(BaseModel):
    funder: str
    amount: Money
    explanation: str


class PayslipRead(BaseModel):
    """A payslip with every line explained: what the mobile app shows a worker."""

    run_id: str
    worker_id: str
    period: str
    unit_id: str
    status: str
    policy: str = Field(description="The pay policy and version that priced the month.")
    gross: Money
    employee_deductions: Money
    tax: Money
    net: Money
    employer_contributions: Money
    employer_cost: Money
    contribution_base: Money
    lines: list[PayLineRead]
    funder_parts: list[FunderPartRead]
    warnings: list[str]
    bank_account: str = Field(description="Masked as ****1234 unless you are a payroll officer.")


class PayslipSummary(BaseModel):
    run_id: str
    worker_id: str
    period: str
    unit_id: str
    gross: Money
    employee_deductions: Money
    tax: Money
    net: Money
    employer_cost: Money
    bank_account: str
    warnings: list[str]


class PayslipPage(BaseModel):
    items: list[PayslipSummary]
    next_after: str | None = Field(
        description="Pass as `after` for the next page; null at the end."
    )


class UnitCost(BaseModel):
    unit_id: str
    payslips: int
    gross: Money
    net: Money
    employer_cost: Money


class CostsRead(BaseModel):
    run_id: str
    period: str
    employer_cost_total: Money
    by_funder: dict[str, Money] = Field(description="Exact parts; they add up to the total.")
    by_unit: list[UnitCost]
