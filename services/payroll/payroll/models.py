"""The payroll service's own tables (its database is its own: no other service reads it).

Money is stored as integer fen (`*_fen` columns); code works in Decimal, JSON in two-place
strings. Rows that carry an effective date are never edited: a later row takes over, and grade
spans replaced by a re-evaluation are marked superseded rather than deleted.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from union_shared.db import Base as _Base
from union_shared.db import new_metadata

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
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


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
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


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
    bank_account: Mapped[str] = mapped_column(String(40))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FunderShares(Base):
    """How a unit's pay is shared between budgets from a date on ({funder: percent string})."""

    __tablename__ = "funder_shares"

    unit_id: Mapped[str] = mapped_column(Id, primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date, primary_key=True)
    shares: Mapped[dict[str, str]] = mapped_column(JSON)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LockedPeriod(Base):
    """A pay period closed for a unit subtree. Temporary: monthly runs will own locking."""

    __tablename__ = "locked_periods"

    period: Mapped[str] = mapped_column(PERIOD, primary_key=True)
    unit_id: Mapped[str] = mapped_column(Id, primary_key=True)
    locked_by: Mapped[str] = mapped_column(String(200))
    locked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


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
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
