"""The roster service's own tables (its database is its own: no other service reads it)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from union_shared.db import Base as _Base
from union_shared.db import UtcDateTime, new_metadata

Id = String(36)


class Base(_Base):
    __abstract__ = True
    metadata = new_metadata()


class Unit(Base):
    """A node of the unit tree: city federation → district → township/street, park, building..."""

    __tablename__ = "units"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    # Materialised path "/root/.../self/": a subtree is one indexed prefix match.
    path: Mapped[str] = mapped_column(String(2000), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Worker(Base):
    __tablename__ = "workers"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    resident_id: Mapped[str] = mapped_column(String(18), unique=True)
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(20))
    education: Mapped[str] = mapped_column(String(30))
    major: Mapped[str | None] = mapped_column(String(100))
    qualification: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    hire_date: Mapped[date] = mapped_column(Date)
    seniority_start: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    left_on: Mapped[date | None] = mapped_column(Date)
    social_insurance_registered_on: Mapped[date | None] = mapped_column(Date)
    # The original statutory retirement age a woman's post gives her (55 or 50); None for men,
    # whose original age is always 60. The reform table turns it into her retirement date.
    female_retirement_age: Mapped[int | None] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(20))
    application_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class WorkerEvent(Base):
    """The worker's lifecycle history: hired, imported, transferred, suspended, resumed, left."""

    __tablename__ = "worker_events"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    worker_id: Mapped[str] = mapped_column(ForeignKey("workers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    effective_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Contract(Base):
    __tablename__ = "contracts"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    worker_id: Mapped[str] = mapped_column(ForeignKey("workers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    probation_end: Mapped[date | None] = mapped_column(Date)
    signed_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Appraisal(Base):
    """One revision of a worker's rating for a year; the highest revision is the one in force."""

    __tablename__ = "appraisals"
    __table_args__ = (UniqueConstraint("worker_id", "year", "revision"),)

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    worker_id: Mapped[str] = mapped_column(ForeignKey("workers.id"), index=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)
    rating: Mapped[str] = mapped_column(String(30))
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    satisfaction_score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    comments: Mapped[str | None] = mapped_column(Text)
    correction_reason: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


Index("ix_appraisals_unit_year", Appraisal.unit_id, Appraisal.year)


class Training(Base):
    __tablename__ = "trainings"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    worker_id: Mapped[str] = mapped_column(ForeignKey("workers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    provider: Mapped[str | None] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Mentorship(Base):
    """A mentoring pair (帮带制): an experienced worker guiding a newer one."""

    __tablename__ = "mentorships"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    mentor_id: Mapped[str] = mapped_column(ForeignKey("workers.id"), index=True)
    mentee_id: Mapped[str] = mapped_column(ForeignKey("workers.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Award(Base):
    __tablename__ = "awards"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    worker_id: Mapped[str] = mapped_column(ForeignKey("workers.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    awarded_by: Mapped[str | None] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PostHeld(Base):
    """An elected union post (chair, vice-chair) with its term, won by democratic election."""

    __tablename__ = "posts_held"

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    worker_id: Mapped[str] = mapped_column(ForeignKey("workers.id"), index=True)
    post: Mapped[str] = mapped_column(String(30))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)
    elected_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Employment(Base):
    """One spell of employment. A worker who left and is hired again keeps one record (the
    resident ID stays unique per person) and gains an episode; the worker row carries the
    current episode's hire date and seniority start, earlier episodes stay here."""

    __tablename__ = "employments"
    __table_args__ = (UniqueConstraint("worker_id", "episode"),)

    id: Mapped[str] = mapped_column(Id, primary_key=True)
    worker_id: Mapped[str] = mapped_column(ForeignKey("workers.id"), index=True)
    episode: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    hire_date: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)  # the last day worked
    seniority_start: Mapped[date] = mapped_column(Date)
    earlier_service_counted: Mapped[bool] = mapped_column(Boolean)
    origin: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
