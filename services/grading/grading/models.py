"""The grading service's own tables (its database is its own: no other service reads it)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from union_shared.db import Base as _Base
from union_shared.db import UtcDateTime, new_metadata
from union_shared.scope import UnitTree, unit_tree_table

Id = String(36)


class Base(_Base):
    __abstract__ = True
    metadata = new_metadata()


class PolicyVersion(Base):
    """One version of a ladder policy document; published versions are never edited."""

    __tablename__ = "policy_versions"

    policy_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_by: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PolicyAssignment(Base):
    """Which policy a unit's workers are graded by (units without one use the default)."""

    __tablename__ = "policy_assignments"

    unit_id: Mapped[str] = mapped_column(Id, primary_key=True)
    policy_id: Mapped[str] = mapped_column(String(60))
    assigned_by: Mapped[str] = mapped_column(String(200))
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime())


class GradedWorker(Base):
    """The facts grading keeps about a worker, from the roster's events."""

    __tablename__ = "graded_workers"

    worker_id: Mapped[str] = mapped_column(Id, primary_key=True)
    # Neither is indexed: no query filters on unit_id, and unit_path is searched for a unit
    # anywhere in the path, which no B-tree serves; each index cost every standing update.
    unit_id: Mapped[str] = mapped_column(Id)
    unit_path: Mapped[str | None] = mapped_column(String(2000))
    hire_date: Mapped[date] = mapped_column(Date)
    seniority_start: Mapped[date] = mapped_column(Date)
    education: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20))
    left_on: Mapped[date | None] = mapped_column(Date)
    # A re-hired worker's employments before the current one (hire_date, seniority_start and
    # left_on as ISO dates), oldest first; null for a worker employed once. The columns above
    # are the current employment's.
    earlier_employments: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    # The grade in force now, kept beside the history for fast distribution and run queries.
    post: Mapped[str | None] = mapped_column(String(30))
    level: Mapped[int | None] = mapped_column(Integer)
    policy_id: Mapped[str | None] = mapped_column(String(60))
    next_review_on: Mapped[date | None] = mapped_column(Date, index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class GradedAppraisal(Base):
    """The rating in force for a worker's year: the highest revision seen."""

    __tablename__ = "graded_appraisals"

    worker_id: Mapped[str] = mapped_column(Id, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    rating: Mapped[str] = mapped_column(String(30))
    appraisal_id: Mapped[str] = mapped_column(Id)


class GradeIntervalRow(Base):
    """One stretch of a worker's grade history. Intervals of a worker never overlap; a
    re-evaluation that changes the past supersedes rows rather than deleting them."""

    __tablename__ = "grade_history"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    worker_id: Mapped[str] = mapped_column(Id)
    policy_id: Mapped[str] = mapped_column(String(60))
    policy_version: Mapped[int] = mapped_column(Integer)
    post: Mapped[str] = mapped_column(String(30))
    level: Mapped[int] = mapped_column(Integer)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    reasons: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    cause: Mapped[str] = mapped_column(String(20))
    cause_event_id: Mapped[str | None] = mapped_column(String(36))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    superseded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


Index("ix_grade_history_worker_current", GradeIntervalRow.worker_id, GradeIntervalRow.superseded_at)


class SeniorityRun(Base):
    __tablename__ = "seniority_runs"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    evaluated: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    requested_by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


# The roster's unit tree as grading knows it; a move rewrites the workers' stored paths too.
unit_tree = unit_tree_table(Base.metadata)
UNIT_TREE = UnitTree(unit_tree, [GradedWorker.__table__.c.unit_path], service="grading")
