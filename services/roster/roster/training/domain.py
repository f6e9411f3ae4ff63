"""Training obligations: pre-job training for every new hire, rotation training every 3 years."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from roster.rules.policy import RosterRules


class TrainingKind(StrEnum):
    PRE_JOB = "pre_job"
    ROTATION = "rotation"
    QUALIFICATION = "qualification"
    TOPICAL = "topical"


@dataclass(frozen=True)
class TrainingDone:
    kind: TrainingKind
    end: date


@dataclass(frozen=True)
class TrainingAlert:
    kind: str  # "pre_job_training_missing" | "rotation_training_overdue"
    due_on: date
    detail: str


def training_alerts(
    hire_date: date, done: Iterable[TrainingDone], as_of: date, rules: RosterRules
) -> list[TrainingAlert]:
    taken = [t for t in done if t.end <= as_of]
    alerts: list[TrainingAlert] = []
    pre_job_due = hire_date + timedelta(days=rules.pre_job_training_grace_days)
    if as_of > pre_job_due and not any(t.kind is TrainingKind.PRE_JOB for t in taken):
        alerts.append(
            TrainingAlert(
                "pre_job_training_missing",
                pre_job_due,
                f"no pre-job training recorded; due by {pre_job_due}",
            )
        )
    rotations = [t.end for t in taken if t.kind is TrainingKind.ROTATION]
    since = max(rotations, default=hire_date)
    rotation_due = since + relativedelta(years=rules.rotation_training_interval_years)
    if as_of > rotation_due:
        last = (
            f"last rotation training ended {since}" if rotations else f"none since hire on {since}"
        )
        alerts.append(
            TrainingAlert(
                "rotation_training_overdue",
                rotation_due,
                f"{last}; rotation training is due every {rules.rotation_training_interval_years} "
                f"years (was due {rotation_due})",
            )
        )
    return alerts
