"""The payroll service's own tables (its database is its own: no other service reads it).

Money is stored as integer fen (`*_fen` columns); code works in Decimal, JSON in two-place
strings. Rows that carry an effective date are never edited: a later row takes over, and grade
spans replaced by a re-evaluation are marked superseded rather than deleted.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from union_shared.db import Base as _Base
from union_shared.db import UtcDateTime, new_metadata
from union_shared.scope import UnitTree, unit_tree_table

Id = String(36)
PERIOD = String(7)  # YYYY-MM


class Base(_Base):
    __abstract__ = True
    metadata = new_metadata()


class PayWorker(Base):
    """The facts payroll keeps about a worker, from the roster's events."""

    __tablename__ = "pay_workers"

    worker_id: Mapped[str] = mapped_column(Id, primary_key=True)
    unit_id: Mapped[str] = mapped_column(Id, index=True)
    unit_path: Mapped[str | None] = mapped_column(String(2000), index=True)
    hire_date: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    qualification: Mapped[str] = mapped_column(String(40))
    education: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PayEmployment(Base):
    """One employment episode of a worker: episode 1 from WorkerOnboarded, each re-hire the next
    (WorkerRehired). Pay is owed for the months of an episode and never for the gap between two;
    PayWorker's hire_date and left_on repeat the latest episode's."""

    __tablename__ = "pay_employments"

    worker_id: Mapped[str] = mapped_column(Id, primary_key=True)
    episode: Mapped[int] = mapped_column(Integer, primary_key=True)
    hire_date: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)  # the last day worked; None while it lasts


# A run finds the ended episodes that reach into its month by their leaving date.
Index("ix_pay_employments_left_on", PayEmployment.left_on)


class GradeSpan(Base):
    """A stretch of a worker's grade as grading last said it. Among rows not superseded, a
    worker's spans never overlap; a re-evaluation supersedes rows, it never deletes them."""

    __tablename__ = "grade_spans"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    worker_id: Mapped[str] = mapped_column(Id)
    policy_id: Mapped[str] = mapped_column(String(60))  # the grading ladder, e.g. tianjin-3p18l
    post: Mapped[str] = mapped_column(String(30))
    level: Mapped[int] = mapped_column(Integer)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)  # inclusive; None while the grade lasts
    cause_event_id: Mapped[str] = mapped_column(Id)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    superseded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


Index("ix_grade_spans_worker_current", GradeSpan.worker_id, GradeSpan.superseded_at)


class PayProfile(Base):
    """A worker's pay facts from a date on: contribution base, housing fund, deductions, bank."""

    __tablename__ = "pay_profiles"
    __table_args__ = (UniqueConstraint("worker_id", "effective_from"),)

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    worker_id: Mapped[str] = mapped_column(Id, index=True)
    effective_from: Mapped[date] = mapped_column(Date)
    # Last year's average monthly wage as declared, before the policy's floor and ceiling.
    contribution_base_fen: Mapped[int] = mapped_column(BigInteger)
    housing_fund_rate: Mapped[str | None] = mapped_column(
        String(12)
    )  # exact decimal; None: default
    special_deductions: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The worker's choice for the annual bonus: taxed separately (once a year) or with the wages.
    bonus_taxation: Mapped[str] = mapped_column(String(20), server_default="separate")
    bank_account: Mapped[str] = mapped_column(String(40))
    # The account holder's name (户名) as the bank knows it: a bank's salary batch file names the
    # payee, and the bank refuses a transfer whose name does not match the account.
    account_name: Mapped[str | None] = mapped_column(String(100))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class FunderShares(Base):
    """How a unit's pay is shared between budgets from a date on ({funder: percent string})."""

    __tablename__ = "funder_shares"

    unit_id: Mapped[str] = mapped_column(Id, primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date, primary_key=True)
    shares: Mapped[dict[str, str]] = mapped_column(JSON)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LockedPeriod(Base):
    """A pay period closed for a unit subtree: written when a monthly run is approved and locked.
    A grade change effective in a closed period is paid as arrears in a later one."""

    __tablename__ = "locked_periods"

    period: Mapped[str] = mapped_column(PERIOD, primary_key=True)
    unit_id: Mapped[str] = mapped_column(Id, primary_key=True)
    locked_by: Mapped[str] = mapped_column(String(200))
    locked_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ArrearsLine(Base):
    """Back pay (补发) for one closed month, owed because of one grade change."""

    __tablename__ = "arrears_lines"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    worker_id: Mapped[str] = mapped_column(Id, index=True)
    for_period: Mapped[str] = mapped_column(PERIOD)
    pay_in_period: Mapped[str | None] = mapped_column(PERIOD)  # None: no open period chosen yet
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    cause_event_id: Mapped[str] = mapped_column(Id)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    paid_in_run_id: Mapped[str | None] = mapped_column(Id, index=True)  # set when its run locks


class WorkerUnit(Base):
    """Which unit a worker belonged to from a date on (WorkerOnboarded, WorkerTransferred)."""

    __tablename__ = "worker_units"

    worker_id: Mapped[str] = mapped_column(Id, primary_key=True)
    start: Mapped[date] = mapped_column(Date, primary_key=True)
    unit_id: Mapped[str] = mapped_column(Id)
    unit_path: Mapped[str | None] = mapped_column(String(2000))
    cause_event_id: Mapped[str] = mapped_column(Id)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ParkedEvent(Base):
    """An event about a worker payroll has not heard of yet (grading's topic may run ahead of the
    roster's): kept, and applied in arrival order once WorkerOnboarded arrives."""

    __tablename__ = "parked_events"

    event_id: Mapped[str] = mapped_column(Id, primary_key=True)
    worker_id: Mapped[str] = mapped_column(Id, index=True)
    envelope: Mapped[dict[str, Any]] = mapped_column(JSON)
    parked_at: Mapped[datetime] = mapped_column(UtcDateTime())


class BonusEntitlement(Base):
    """The annual appraisal bonus a rating earns; a revised appraisal supersedes the row. The
    amount is priced when a run pays it, by the pay policy governing that run's period."""

    __tablename__ = "bonus_entitlements"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    worker_id: Mapped[str] = mapped_column(Id)
    appraisal_year: Mapped[int] = mapped_column(Integer)
    rating: Mapped[str] = mapped_column(String(30))
    revision: Mapped[int] = mapped_column(Integer)
    cause_event_id: Mapped[str] = mapped_column(Id)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    superseded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


Index("ix_bonus_entitlements_worker", BonusEntitlement.worker_id, BonusEntitlement.appraisal_year)


class PayRun(Base):
    """A monthly run for a period and a unit subtree: draft → reviewed → locked (or discarded
    while unlocked). A locked run and its payslips never change."""

    __tablename__ = "pay_runs"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    period: Mapped[str] = mapped_column(PERIOD, index=True)
    unit_id: Mapped[str] = mapped_column(Id)
    unit_path: Mapped[str] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(20))
    drafted_by: Mapped[str] = mapped_column(String(200))
    drafted_by_subject: Mapped[str] = mapped_column(String(200))
    drafted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    approved_by: Mapped[str | None] = mapped_column(String(200))
    locked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    payslip_count: Mapped[int] = mapped_column(Integer)
    gross_fen: Mapped[int] = mapped_column(BigInteger)
    net_fen: Mapped[int] = mapped_column(BigInteger)
    tax_fen: Mapped[int] = mapped_column(BigInteger)
    employer_cost_fen: Mapped[int] = mapped_column(BigInteger)
    # Workers in scope whose pay could not be computed, with the reason: approval waits for them.
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # The pay-fact sequence value taken when the payslips were computed: a fact change recorded
    # with a higher value, in the run's scope, makes the run stale (see payroll.freeze).
    facts_seq: Mapped[int] = mapped_column(BigInteger, server_default="0")


class PayslipRow(Base):
    """One worker's payslip in a run: totals as columns, the explained lines as JSON."""

    __tablename__ = "payslips"
    __table_args__ = (UniqueConstraint("run_id", "worker_id"),)

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    run_id: Mapped[str] = mapped_column(Id)
    worker_id: Mapped[str] = mapped_column(Id)
    period: Mapped[str] = mapped_column(PERIOD)
    unit_id: Mapped[str] = mapped_column(Id)
    gross_fen: Mapped[int] = mapped_column(BigInteger)
    deductions_fen: Mapped[int] = mapped_column(BigInteger)
    tax_fen: Mapped[int] = mapped_column(BigInteger)
    net_fen: Mapped[int] = mapped_column(BigInteger)
    employer_cost_fen: Mapped[int] = mapped_column(BigInteger)
    bank_account: Mapped[str] = mapped_column(String(40))
    # The latest appraisal year whose bonus it paid (every year it paid: PayslipBonus rows).
    bonus_year: Mapped[int | None] = mapped_column(Integer)
    bonus_separate: Mapped[bool] = mapped_column(Boolean)  # a bonus taxed separately (once a year)
    arrears_ids: Mapped[list[str]] = mapped_column(JSON)
    warnings: Mapped[list[str]] = mapped_column(JSON)
    funder_parts: Mapped[dict[str, str]] = mapped_column(JSON)  # {funder: amount} of the cost
    ytd_after: Mapped[dict[str, Any]] = mapped_column(JSON)  # the tax year to date, after it
    slip: Mapped[dict[str, Any]] = mapped_column(JSON)  # the computed payslip, every line explained


Index("ix_payslips_worker_period", PayslipRow.worker_id, PayslipRow.period)


class PayslipBonus(Base):
    """One appraisal year's bonus a payslip paid: a payslip may pay several years' bonuses at
    once. Paid means paid by a locked run; these rows go with their payslip when it is deleted."""

    __tablename__ = "payslip_bonuses"

    payslip_id: Mapped[str] = mapped_column(Id, primary_key=True)
    appraisal_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[str] = mapped_column(Id, index=True)
    worker_id: Mapped[str] = mapped_column(Id)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    separate: Mapped[bool] = mapped_column(Boolean)  # this bonus was the one taxed separately


Index("ix_payslip_bonuses_worker", PayslipBonus.worker_id, PayslipBonus.appraisal_year)


class GoLive(Base):
    """The first month a unit's pay is run on the platform. Earlier months were paid outside it
    (the old spreadsheet): they owe arrears only as far as an officer declared what was paid.
    The nearest unit with a go-live, from a worker's own unit upward, governs the worker."""

    __tablename__ = "go_live"

    unit_id: Mapped[str] = mapped_column(Id, primary_key=True)
    period: Mapped[str] = mapped_column(PERIOD)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DeclaredPay(Base):
    """The gross a worker was paid for a month before go-live, as declared from the old records.
    A later declaration for the same month replaces it (audited with the amount it replaced)."""

    __tablename__ = "declared_pay"

    worker_id: Mapped[str] = mapped_column(Id, primary_key=True)
    period: Mapped[str] = mapped_column(PERIOD, primary_key=True)
    gross_fen: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(200))  # e.g. the spreadsheet it was imported from
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class FactChange(Base):
    """One change of pay facts that can make a drafted run stale, numbered by the pay-fact
    sequence (never by a clock: replicas' clocks disagree and may step back). It names what it
    touched: a worker, a unit subtree (a move), or funder shares from a date."""

    __tablename__ = "pay_fact_changes"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(30))
    worker_id: Mapped[str | None] = mapped_column(Id)
    unit_path: Mapped[str | None] = mapped_column(String(2000))
    effective_from: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


Index("ix_pay_fact_changes_worker", FactChange.worker_id, FactChange.seq)

# SQLite has no sequences: there the pay-fact sequence is this one-row counter (SQLite serialises
# writers, so an UPDATE ... RETURNING is as monotonic). PostgreSQL has a real SEQUENCE of the same
# name instead, and no such table (see payroll.freeze.repository.next_fact_seq).
FACT_SEQ = "pay_fact_seq"
fact_seq_counter = Table(
    FACT_SEQ,
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("value", BigInteger, nullable=False),
)


# The roster's unit tree as payroll knows it; a move rewrites every stored path under the moved
# unit: the workers', their unit history's and the runs' (a run's subtree moves with its unit).
unit_tree = unit_tree_table(Base.metadata)
UNIT_TREE = UnitTree(
    unit_tree,
    [
        PayWorker.__table__.c.unit_path,
        WorkerUnit.__table__.c.unit_path,
        PayRun.__table__.c.unit_path,
    ],
    service="payroll",
)
